package main

// The command table, in the order of parley --help. It is filled in init
// because the commands' help mentions the table (an initialisation cycle
// otherwise).
func init() {
	commands = []*command{
		sendCmd,
		listenCmd,
		rosterListCmd,
		rosterAddCmd,
		rosterRemoveCmd,
		registerCmd,
		passwdCmd,
		unregisterCmd,
		pingCmd,
		discoCmd,
		versionCmd,
		oobSendCmd,
		oobReceiveCmd,
		echoCmd,
		componentEchoCmd,
	}
}
