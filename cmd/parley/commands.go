package main

func init() {
	commands = []*command{
		sendCmd,
		listenCmd,
		registerCmd,
		passwdCmd,
		unregisterCmd,
		echoCmd,
		componentEchoCmd,
	}
}
