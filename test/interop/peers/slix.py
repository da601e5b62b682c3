#!/usr/bin/python3
"""slix.py: a slixmpp 1.8.3 client driven by the Go interop tests (test/interop).

Usage: slix.py HOST PORT JID PASSWORD CAFILE

It logs in with STARTTLS (certificate verified against CAFILE, server name = the JID's
domain), sends initial presence, answers pings (XEP-0199), disco#info (XEP-0030) and
<query xmlns='urn:parley:test:interop'/> gets, and prints one line per event; the test
writes one command per line on stdin (line format: peerproto.py).

Commands (stdin)        Lines (stdout)
                        READY <full jid>
  msg <to> <body>       SENT                          a chat message was sent
  iq <to>               IQRESULT <from> result <payload xml>   a get in NS, and its answer
                        IQRESULT <from> error <condition>
  disco <to>            DISCO <from> <identities> <features>   space-separated, category/type
  ping <to>             PONG <from> ok | PONG <from> error <condition>
  quit                  BYE
                        MSG <from> <type> <body>       a message arrived
                        IQGET <from> <ns>              an NS get arrived (answered <peer>slixmpp</peer>)
                        ERROR <text>                   then exit 1
"""
import asyncio
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slixmpp  # noqa: E402
from slixmpp.exceptions import IqError, IqTimeout  # noqa: E402
from slixmpp.xmlstream.handler import Callback  # noqa: E402
from slixmpp.xmlstream.matcher import MatchXPath  # noqa: E402

from peerproto import NS, commands, out  # noqa: E402

TIMEOUT = 20


class Peer(slixmpp.ClientXMPP):
    async def get_dns_records(self, domain, port=None):
        # servers.md §5: slixmpp resolves the JID's domain even when given an address;
        # no records = use the address passed to connect().
        return []


async def run(host, port, jid, password, cafile):
    c = Peer(jid, password)
    c.ca_certs = cafile
    for p in ("xep_0030", "xep_0199"):
        c.register_plugin(p)
    ready = asyncio.get_running_loop().create_future()
    c.add_event_handler("session_start", lambda _: ready.done() or ready.set_result(True))
    c.add_event_handler("failed_auth", lambda _: ready.done() or ready.set_exception(RuntimeError("authentication failed")))
    c.add_event_handler("ssl_invalid_chain", lambda e: ready.done() or ready.set_exception(RuntimeError("TLS: certificate not trusted: %s" % e)))
    c.add_event_handler("message", lambda m: out("MSG", m["from"], m["type"], m["body"]))

    def on_iq(iq):
        out("IQGET", iq["from"], NS)
        reply = iq.reply(clear=True)
        q = ET.Element("{%s}query" % NS)
        ET.SubElement(q, "{%s}peer" % NS).text = "slixmpp"
        reply.append(q)
        reply.send()

    def maybe_iq(iq):
        if iq["type"] == "get":
            on_iq(iq)

    c.register_handler(Callback("interop", MatchXPath("{jabber:client}iq/{%s}query" % NS), maybe_iq))
    c.connect((host, port))
    await asyncio.wait_for(ready, TIMEOUT)
    c.send_presence()
    out("READY", c.boundjid.full)

    async for cmd in commands():
        name, args = cmd[0], cmd[1:]
        if name == "msg":
            c.send_message(mto=args[0], mbody=args[1], mtype="chat")
            out("SENT")
        elif name == "iq":
            iq = c.make_iq_get(queryxmlns=NS, ito=args[0])
            try:
                r = await iq.send(timeout=TIMEOUT)
                out("IQRESULT", r["from"], "result", "".join(ET.tostring(ch, encoding="unicode") for ch in r.xml))
            except IqError as e:
                out("IQRESULT", e.iq["from"], "error", e.condition)
        elif name == "disco":
            r = await c["xep_0030"].get_info(jid=args[0], timeout=TIMEOUT)
            info = r["disco_info"]
            ids = " ".join("%s/%s" % (i[0], i[1]) for i in info["identities"])
            out("DISCO", r["from"], ids, " ".join(sorted(info["features"])))
        elif name == "ping":
            try:
                await c["xep_0199"].send_ping(args[0], timeout=TIMEOUT)
                out("PONG", args[0], "ok")
            except IqError as e:
                out("PONG", args[0], "error", e.condition)
        elif name == "quit":
            break
        else:
            raise RuntimeError("unknown command " + name)
    c.disconnect()
    await c.disconnected
    out("BYE")


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: slix.py HOST PORT JID PASSWORD CAFILE")
    host, port, jid, password, cafile = sys.argv[1:]
    try:
        asyncio.run(run(host, int(port), jid, password, cafile))
    except Exception as e:  # the test reports the line
        out("ERROR", "%s: %s" % (type(e).__name__, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
