package form_test

import (
	"errors"
	"fmt"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/xmlstream"
)

// A client fills the registration form of XEP-0077 §4 and submits it.
func ExampleForm_Submit() {
	const received = `<x xmlns='jabber:x:data' type='form'>
  <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>
  <field type='text-single' label='Username' var='username'><required/></field>
  <field type='text-private' label='Password' var='password'><required/></field>
  <field type='list-single' label='Plan' var='x-plan'>
    <option label='Free'><value>free</value></option>
    <option label='Pro'><value>pro</value></option>
  </field>
</x>`
	el, err := xmlstream.Parse([]byte(received), "", nil)
	if err != nil {
		panic(err)
	}
	f, err := form.Parse(el)
	if err != nil {
		panic(err)
	}
	fmt.Println("FORM_TYPE:", f.FormType())

	_, err = f.Submit()
	var verr *form.ValidationError
	if errors.As(err, &verr) {
		fmt.Println("missing:", verr.Missing)
	}

	fmt.Println(f.Set("x-plan", "gold"))
	f.Set("username", "juliet")
	f.Set("password", "R0m30")
	f.Set("x-plan", "pro")
	sub, err := f.Submit()
	if err != nil {
		panic(err)
	}
	for _, fd := range sub.Fields {
		fmt.Printf("%s=%q\n", fd.Var, fd.Values)
	}
	fmt.Println(sub.Element())
	// Output:
	// FORM_TYPE: jabber:iq:register
	// missing: [username password]
	// form: field "x-plan" value "gold": value is not one of the field's options
	// FORM_TYPE=["jabber:iq:register"]
	// username=["juliet"]
	// password=["R0m30"]
	// x-plan=["pro"]
	// <x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field><field var='username' type='text-single'><value>juliet</value></field><field var='password' type='text-private'><value>R0m30</value></field><field var='x-plan' type='list-single'><value>pro</value></field></x>
}
