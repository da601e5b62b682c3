package main

func init() {
	commands = []*command{
		sendCmd,
		listenCmd,
		registerCmd,
		passwdCmd,
		unregisterCmd,
		rosterListCmd,
		rosterAddCmd,
		rosterRemoveCmd,
		pingCmd,
		discoCmd,
		versionCmd,
		oobSendCmd,
		oobReceiveCmd,
		echoCmd,
		componentEchoCmd,
	}
}
