"""peerproto: the line protocol the Python peers share with the Go interop tests.

Fields are tab-separated; backslash, tab and newline inside a field are written \\ \t \n.
See slix.py for the commands and lines.
"""
import asyncio
import sys

# NS is the namespace of the IQ the peers answer (and the tests send): not a real XEP.
NS = "urn:parley:test:interop"


def esc(s):
    return str(s).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def unesc(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            i += 1
            c = {"n": "\n", "t": "\t"}.get(s[i], s[i])
        out.append(c)
        i += 1
    return "".join(out)


def out(*fields):
    sys.stdout.write("\t".join(esc(f) for f in fields) + "\n")
    sys.stdout.flush()


async def commands():
    """Yields the commands written on stdin, each as a list of fields, until EOF."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line:
            yield [unesc(f) for f in line.split("\t")]
