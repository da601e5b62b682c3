package xmlstream

import (
	"errors"
	"strings"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		expr string
		pos  int
		msg  string
	}{
		{"", 0, "empty expression"},
		{"  ", 0, "empty expression"},
		{"/message | /iq", 9, `unexpected "|"`},
		{"/message[", 9, "unexpected end of expression"},
		{"/message[@type='chat'", 21, `unexpected end of expression, expected "]"`},
		{"/message[@type='chat]", 15, "unterminated string literal"},
		{"/message[@type=chat]", 15, `unexpected "chat", expected a string literal`},
		{"/message[@type=1]", 15, `unexpected "1", expected a string literal`},
		{"/a[@x=@y]", 6, `unexpected "@", expected a string literal`},
		{"ancestor::x", 0, `axis "ancestor::" is not supported`},
		{"/a/child :: b", 3, `axis "child::" is not supported`},
		{"/a[count(b)]", 3, `function "count()" is not supported`},
		{"/a[not(@x)]", 3, `function "not()" is not supported`},
		{"/a/text(1)", 8, `text() takes no arguments: expected ")"`},
		{"/a[1+1]", 4, `unexpected "+"`},
		{"/a[@x - 1]", 6, `unexpected "-"`},
		{"/a[1 or 2]", 3, "a number is only supported alone, as a position like [1]"},
		{"/a[@x='1' or 2]", 13, "a number is only supported alone, as a position like [1]"},
		{"/a[99999999999999999999]", 3, "position 99999999999999999999 is too large"},
		{"/a[$x]", 3, "variables are not supported"},
		{"/a[.='x']", 3, `"." and ".." steps are not supported`},
		{"/a/..", 3, `"." and ".." steps are not supported`},
		{"/a/", 3, "unexpected end of expression"},
		{"/", 1, "unexpected end of expression"},
		{"//", 2, "unexpected end of expression"},
		{"/a b", 3, `unexpected "b"`},
		{"/a[]", 3, `unexpected "]"`},
		{"/a[@]", 4, `unexpected "]"`},
		{"/a[(@x]", 6, `unexpected "]", expected ")"`},
		{"/a[@x < '1']", 6, `unexpected "<"`},
		{"/a[/b]", 3, "absolute paths are not supported in predicates"},
		{"/a[//b]", 3, "absolute paths are not supported in predicates"},
		{"/a//text()", 4, `"//" before text() or an attribute is not supported`},
		{"/a//@id", 4, `"//" before text() or an attribute is not supported`},
		{"/a/@id/b", 6, "a path cannot continue after text() or an attribute"},
		{"/a/text()//b", 9, "a path cannot continue after text() or an attribute"},
		{"/p:a", 1, `namespace prefix "p" is not supported; use {uri}local`},
		{"/a[@p:x]", 4, `namespace prefix "p" is not supported; use {uri}local`},
		{"/a[@xmlns:p]", 4, "namespace declarations are not attributes; use @xmlns for the element's namespace"},
		{"/{urn:x", 1, `unterminated "{" (Clark notation is {uri}local)`},
		{"/{urn:x} a", 8, `expected a local name or * right after "{urn:x}"`},
		{"/{urn:x}p:a", 8, "a name in Clark notation cannot have a prefix"},
		{"/a[@x='1'", 9, `unexpected end of expression, expected "]"`},
		{"-", 0, `unexpected "-"`},
		{"/a\x80", 2, `unexpected "\x80"`},
		{"/message[@type='chat'] extra", 23, `unexpected "extra"`},
		{strings.Repeat("a[", 40), 65, "expression nested too deeply"},
		{"/a[" + strings.Repeat("(", 40) + "@x", 34, "expression nested too deeply"},
	}
	for i, tt := range tests {
		m, err := Compile(tt.expr)
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("%d Compile(%q) = %v, %v; want a *CompileError", i, tt.expr, m, err)
			continue
		}
		if ce.Pos != tt.pos || ce.Msg != tt.msg {
			t.Errorf("%d Compile(%q): at %d: %s\n\twant at %d: %s", i, tt.expr, ce.Pos, ce.Msg, tt.pos, tt.msg)
		}
	}
}

func TestCompileErrorString(t *testing.T) {
	_, err := Compile("/message | /iq")
	if got, want := err.Error(), `xpath: at 9: unexpected "|"`; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func TestMustCompilePanics(t *testing.T) {
	defer func() {
		if _, ok := recover().(*CompileError); !ok {
			t.Fatal("MustCompile did not panic with a *CompileError")
		}
	}()
	MustCompile("/a[")
}

func TestStringAndCanonical(t *testing.T) {
	tests := []struct{ src, canon string }{
		{"/message[@type='chat']", "/message[@type='chat']"},
		{` / message [ @type = "chat" ] `, "/message[@type='chat']"},
		{`/a[@x="it's"]`, `/a[@x="it's"]`},
		{"/a[@xml:lang='en']/@xml:lang", "/a[@{" + NSXML + "}lang='en']/@{" + NSXML + "}lang"},
		{"//body[1]/text()", "//body[1]/text()"},
		{"/a[(@x or @y) and (b or c)]", "/a[(@x or @y) and (b or c)]"},
		{"/a[@x or (@y and b)]", "/a[@x or @y and b]"},
		{"/a['v'!=@x]", "/a[@x!='v']"},
		{"/{}a/{urn:b}*[@xmlns]/@*", "/{}a/{urn:b}*[@xmlns]/@*"},
		{"q/r//s[01]", "q/r//s[1]"},
	}
	for i, tt := range tests {
		m := MustCompile(tt.src)
		if m.String() != tt.src {
			t.Errorf("%d String() = %q, want the source %q", i, m.String(), tt.src)
		}
		if got := m.canonical(); got != tt.canon {
			t.Errorf("%d canonical(%q) = %q, want %q", i, tt.src, got, tt.canon)
		}
	}
}
