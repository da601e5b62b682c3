#!/usr/bin/python3
"""aio.py: an aioxmpp 0.13.3 client driven by the Go interop tests (test/interop).

Usage: aio.py HOST PORT JID PASSWORD CAFILE

Same commands and lines as slix.py (line format: peerproto.py). It logs in with STARTTLS
(certificate verified against CAFILE), becomes available, answers pings (PingService),
disco#info (DiscoServer) and <query xmlns='urn:parley:test:interop'/> gets.
"""
import asyncio
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aioxmpp  # noqa: E402
import aioxmpp.disco  # noqa: E402
import aioxmpp.dispatcher  # noqa: E402
import aioxmpp.ping  # noqa: E402
import aioxmpp.xso  # noqa: E402
from aioxmpp.xml import serialize_single_xso  # noqa: E402

from peerproto import NS, commands, out  # noqa: E402

TIMEOUT = 20


class Query(aioxmpp.xso.XSO):
    """<query xmlns='urn:parley:test:interop'><peer>...</peer></query>"""
    TAG = (NS, "query")
    peer = aioxmpp.xso.ChildText((NS, "peer"), default=None)


aioxmpp.IQ.as_payload_class(Query)


async def run(host, port, jid, password, cafile):
    def ssl_factory():
        ctx = aioxmpp.security_layer.default_ssl_context()
        ctx.load_verify_locations(cafile)
        return ctx

    client = aioxmpp.PresenceManagedClient(
        aioxmpp.JID.fromstr(jid),
        aioxmpp.make_security_layer(password, ssl_context_factory=ssl_factory),
        override_peer=[(host, port, aioxmpp.connector.STARTTLSConnector())],
        logger=logging.getLogger("aio"),
    )
    client.summon(aioxmpp.PingService)  # answers urn:xmpp:ping
    disco = client.summon(aioxmpp.DiscoClient)
    client.summon(aioxmpp.DiscoServer)
    messages = client.summon(aioxmpp.dispatcher.SimpleMessageDispatcher)

    def on_message(msg):
        body = msg.body.any() if msg.body else ""
        out("MSG", msg.from_, msg.type_.value, body)

    messages.register_callback(aioxmpp.MessageType.CHAT, None, on_message)
    messages.register_callback(aioxmpp.MessageType.NORMAL, None, on_message)

    async def on_query(iq):
        out("IQGET", iq.from_, NS)
        q = Query()
        q.peer = "aioxmpp"
        return q

    client.stream.register_iq_request_handler(aioxmpp.IQType.GET, Query, on_query)
    client.presence = aioxmpp.PresenceState(True)

    async with client.connected():
        out("READY", client.local_jid)
        async for cmd in commands():
            name, args = cmd[0], cmd[1:]
            to = aioxmpp.JID.fromstr(args[0]) if args else None
            if name == "msg":
                m = aioxmpp.Message(to=to, type_=aioxmpp.MessageType.CHAT)
                m.body[None] = args[1]
                await client.send(m)
                out("SENT")
            elif name == "iq":
                try:
                    q = await asyncio.wait_for(
                        client.send(aioxmpp.IQ(type_=aioxmpp.IQType.GET, to=to, payload=Query())), TIMEOUT)
                    out("IQRESULT", to, "result", serialize_single_xso(q) if q is not None else "")
                except aioxmpp.errors.XMPPError as e:
                    out("IQRESULT", to, "error", e.condition.value[1])
            elif name == "disco":
                info = await asyncio.wait_for(disco.query_info(to, require_fresh=True), TIMEOUT)
                ids = " ".join("%s/%s" % (i.category, i.type_) for i in info.identities)
                out("DISCO", to, ids, " ".join(sorted(info.features)))
            elif name == "ping":
                try:
                    await asyncio.wait_for(aioxmpp.ping.ping(client, to), TIMEOUT)
                    out("PONG", to, "ok")
                except aioxmpp.errors.XMPPError as e:
                    out("PONG", to, "error", e.condition.value[1])
            elif name == "quit":
                break
            else:
                raise RuntimeError("unknown command " + name)
    out("BYE")


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: aio.py HOST PORT JID PASSWORD CAFILE")
    host, port, jid, password, cafile = sys.argv[1:]
    try:
        asyncio.run(asyncio.wait_for(run(host, int(port), jid, password, cafile), 300))
    except Exception as e:  # the test reports the line
        out("ERROR", "%s: %s" % (type(e).__name__, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
