package jid_test

import (
	"errors"
	"fmt"

	"parley.dev/xmpp/jid"
)

func ExampleParse() {
	j, err := jid.Parse("Juliet@ÜBER.example./Balcony")
	if err != nil {
		panic(err)
	}
	fmt.Println(j)
	fmt.Println(j.Localpart(), j.Domainpart(), j.Resourcepart())
	fmt.Println(j.Bare(), j.Domain())
	// Output:
	// juliet@über.example/Balcony
	// juliet über.example Balcony
	// juliet@über.example über.example
}

func ExampleParse_error() {
	_, err := jid.Parse("romeo@montague.example/")
	fmt.Println(err)
	fmt.Println(errors.Is(err, jid.ErrEmpty), errors.Is(err, &jid.Error{Part: jid.PartResource}))
	// Output:
	// jid: invalid resourcepart: empty
	// true true
}

func ExampleJID_Equal() {
	a := jid.MustParse("ＲＯＭＥＯ@Montague.example")
	b := jid.MustParse("romeo@montague.example")
	fmt.Println(a.Equal(b), a == b)
	// Output: true true
}

func ExampleJID_WithResource() {
	bare := jid.MustParse("romeo@montague.example")
	full, err := bare.WithResource("orchard")
	fmt.Println(full, err)
	// Output: romeo@montague.example/orchard <nil>
}

func ExampleNew() {
	j, err := jid.New("", "[2001:DB8::0:1]", "")
	fmt.Println(j, err)
	// Output: [2001:db8::1] <nil>
}

func ExampleEscape() {
	local := jid.Escape("d'artagnan")
	j := jid.MustParse(local + "@musketeers.example")
	fmt.Println(j)
	fmt.Println(jid.Unescape(j.Localpart()))
	// Output:
	// d\27artagnan@musketeers.example
	// d'artagnan
}
