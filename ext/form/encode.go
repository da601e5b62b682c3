package form

import "parley.dev/xmpp/xmlstream"

// Element returns f as an <x xmlns='jabber:x:data'/> element (XEP-0004 §3),
// ready to be added to a payload: title, instructions, fields, then the
// reported header and the items of a result table (§3.4). Empty optional
// parts (title, label, type, desc) are left out; every value is written,
// including empty ones. The element shares no memory with f.
func (f *Form) Element() *xmlstream.Element {
	x := xmlstream.New(NS, "x")
	if f.Type != "" {
		x.SetAttr("type", f.Type)
	}
	if f.Title != "" {
		x.AddChild(NS, "title").AddText(f.Title)
	}
	for _, in := range f.Instructions {
		x.AddChild(NS, "instructions").AddText(in)
	}
	for i := range f.Fields {
		x.AppendChild(fieldElement(&f.Fields[i]))
	}
	if len(f.Reported) > 0 {
		r := x.AddChild(NS, "reported")
		for i := range f.Reported {
			r.AppendChild(fieldElement(&f.Reported[i]))
		}
	}
	for _, it := range f.Items {
		item := x.AddChild(NS, "item")
		for i := range it {
			item.AppendChild(fieldElement(&it[i]))
		}
	}
	return x
}

// fieldElement encodes one <field/> with its children in the order of the
// XEP-0004 schema: desc, required, values, options.
func fieldElement(fd *Field) *xmlstream.Element {
	e := xmlstream.New(NS, "field")
	if fd.Var != "" {
		e.SetAttr("var", fd.Var)
	}
	if fd.Type != "" {
		e.SetAttr("type", fd.Type)
	}
	if fd.Label != "" {
		e.SetAttr("label", fd.Label)
	}
	if fd.Desc != "" {
		e.AddChild(NS, "desc").AddText(fd.Desc)
	}
	if fd.Required {
		e.AddChild(NS, "required")
	}
	for _, v := range fd.Values {
		e.AddChild(NS, "value").AddText(v)
	}
	for _, o := range fd.Options {
		oe := e.AddChild(NS, "option")
		if o.Label != "" {
			oe.SetAttr("label", o.Label)
		}
		oe.AddChild(NS, "value").AddText(o.Value)
	}
	return e
}
