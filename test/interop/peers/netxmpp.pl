#!/usr/bin/perl
# netxmpp.pl: a Net::XMPP 1.05 client driven by the Go interop tests (test/interop).
#
# Usage: netxmpp.pl HOST PORT DOMAIN USER PASSWORD RESOURCE CAFILE
#
# It logs in with STARTTLS (certificate verified against CAFILE), sends initial presence
# and prints one line per event on stdout; the test writes one command per line on stdin.
# Fields are tab-separated; backslash, tab and newline inside a field are written \\ \t \n.
#
# Commands (stdin):                 Lines (stdout):
#                                   READY <full jid>              logged in, presence sent
#   msg <to> <body>                 SENT <id>                     chat message sent
#   iq <to> <type> <ns>             IQRESULT <id> <type> <from> <payload xml>
#                                   (an iq get/set with an empty <query xmlns=ns/>; the
#                                   answer, result or error, is reported when it arrives)
#   quit                            BYE                           disconnected, exit 0
#                                   MSG <from> <type> <body>      a message arrived
#                                   IQGET <from> <ns> <id>        an iq get/set arrived; one in
#                                   urn:parley:test:interop is answered with
#                                   <query xmlns=...><peer>Net::XMPP</peer></query>
#                                   ERROR <text>                  then exit 1
use strict;
use warnings;
use IO::Select;
use Encode qw(decode);
use Net::XMPP;

$| = 1;
binmode(STDOUT, ':encoding(UTF-8)');
my ($host, $port, $domain, $user, $password, $resource, $ca) = @ARGV;
die "usage: $0 HOST PORT DOMAIN USER PASSWORD RESOURCE CAFILE\n" unless defined $ca;

sub esc { my $s = shift // ''; $s =~ s/\\/\\\\/g; $s =~ s/\t/\\t/g; $s =~ s/\n/\\n/g; return $s }
sub unesc { my $s = shift // ''; $s =~ s/\\(.)/$1 eq 'n' ? "\n" : $1 eq 't' ? "\t" : $1/ge; return $s }
sub out { print join("\t", map { esc($_) } @_), "\n" }
sub fail { out('ERROR', @_); exit 1 }
sub xmlq { my $s = shift; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s =~ s/'/&apos;/g; $s =~ s/"/&quot;/g; return $s }

my $NS = 'urn:parley:test:interop';

my $c = Net::XMPP::Client->new();
# Net::XMPP's AddNamespace (Parley's Registrar.Payload): <query xmlns=$NS><peer/></query>
# becomes a child object with GetPeer/SetPeer.
$c->AddNamespace(ns => $NS, tag => 'query', xpath => { Peer => { path => 'peer/text()' } });
# jabberd2.md §11 and XML::Stream: tls => 1 for STARTTLS, ssl_verify 0x01 (SSL_VERIFY_PEER)
# with ssl_ca_path naming a file (SSL_ca_file); componentname is the stream's to (the XMPP
# domain, which does not resolve: the TCP host is 127.0.0.1).
my $status = $c->Connect(
    hostname      => $host,
    port          => $port,
    componentname => $domain,
    tls           => 1,
    ssl_verify    => 0x01,
    ssl_ca_path   => $ca,
    timeout       => 20,
);
fail("connect: " . ($c->GetErrorCode() // 'unknown')) unless defined $status;

$c->SetCallBacks(
    message => sub {
        my (undef, $m) = @_;
        out('MSG', $m->GetFrom(), $m->GetType(), $m->GetBody());
    },
    iq => sub {
        my (undef, $iq) = @_;
        my $type = $iq->GetType();
        if ($type eq 'get' || $type eq 'set') {
            my $ns = $iq->GetQueryXMLNS() // '';
            out('IQGET', $iq->GetFrom(), $ns, $iq->GetID());
            return unless $ns eq $NS; # others: no answer from this peer
            my $reply = $iq->Reply(type => 'result'); # holds an empty <query xmlns=$NS/>
            $reply->GetQuery()->SetPeer('Net::XMPP');
            $c->Send($reply);
            return;
        }
        my $xml = $iq->GetXML();
        my $payload = $xml =~ m{^<iq\b[^>]*>(.*)</iq>$}s ? $1 : '';
        out('IQRESULT', $iq->GetID(), $type, $iq->GetFrom(), $payload);
    },
);

my @auth = $c->AuthSend(username => $user, password => $password, resource => $resource);
fail("auth: @auth[1..$#auth]") unless $auth[0] eq 'ok';
$c->PresenceSend();
out('READY', "$user\@$domain/$resource");

# stdin is read with sysread into our own buffer (a PerlIO buffer would hide lines from select).
my $sel = IO::Select->new(\*STDIN);
my ($n, $buf, $eof) = (0, '', 0);
while (1) {
    if ($buf !~ /\n/) {
        last if $eof;
        # Process waits up to its timeout for the server; the short timeout keeps stdin responsive.
        my $r = $c->Process(0.05);
        fail('connection lost') unless defined $r;
        next unless $sel->can_read(0.05);
        my $got = sysread(STDIN, $buf, 65536, length $buf);
        fail("stdin: $!") unless defined $got;
        $eof = 1 if $got == 0;
        next;
    }
    $buf =~ s/^([^\n]*)\n//;
    my ($cmd, @a) = map { unesc($_) } split /\t/, decode('UTF-8', $1), -1;
    if ($cmd eq 'msg') {
        my $id = 'pl' . ++$n;
        $c->MessageSend(to => $a[0], type => 'chat', body => $a[1], id => $id);
        out('SENT', $id);
    } elsif ($cmd eq 'iq') {
        my $id = 'pliq' . ++$n;
        $c->Send(sprintf("<iq type='%s' to='%s' id='%s'><query xmlns='%s'/></iq>", xmlq($a[1]), xmlq($a[0]), $id, xmlq($a[2])));
        out('SENT', $id);
    } elsif ($cmd eq 'quit') {
        last;
    } else {
        fail("unknown command $cmd");
    }
}
{
    local $SIG{__WARN__} = sub { }; # XML::Stream 1.24 warns about its own state on disconnect
    $c->Disconnect();
}
out('BYE');
