-- SQLite tables of jabberd2 2.7 (authreg_sqlite + storage_sqlite), for start-jabberd2.sh.
-- Used only when the package's /usr/share/doc/jabberd2/db-setup.sqlite.gz is missing (minimal
-- images strip /usr/share/doc). Table and column names are what c2s and sm query; every
-- storage table has "collection-owner" (a bare JID) and an "object-sequence" row id.
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TABLE "authreg" ("username" TEXT NOT NULL, "realm" TEXT NOT NULL, "password" TEXT);
CREATE INDEX i_authreg_username ON "authreg"("username");
CREATE INDEX i_authreg_realm ON "authreg"("realm");
CREATE TABLE "active" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "time" INTEGER NOT NULL DEFAULT 0);
CREATE INDEX i_active_owner ON "active"("collection-owner");
CREATE TABLE "logout" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "time" INTEGER NOT NULL DEFAULT 0);
CREATE TABLE "roster-items" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "jid" TEXT NOT NULL, "name" TEXT, "to" BOOLEAN NOT NULL, "from" BOOLEAN NOT NULL,
    "ask" INTEGER NOT NULL);
CREATE INDEX i_rosteri_owner ON "roster-items"("collection-owner");
CREATE TABLE "roster-groups" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "jid" TEXT NOT NULL, "group" TEXT NOT NULL);
CREATE INDEX i_rosterg_owner ON "roster-groups"("collection-owner");
CREATE INDEX i_rosterg_owner_jid ON "roster-groups"("collection-owner", "jid");
CREATE TABLE "published-roster" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "jid" TEXT NOT NULL, "group" TEXT, "name" TEXT, "to" BOOLEAN NOT NULL, "from" BOOLEAN NOT NULL,
    "ask" INTEGER NOT NULL);
CREATE TABLE "published-roster-groups" ("collection-owner" TEXT NOT NULL,
    "object-sequence" INTEGER PRIMARY KEY, "groupname" TEXT NOT NULL);
CREATE TABLE "vcard" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "fn" TEXT, "nickname" TEXT, "url" TEXT, "tel" TEXT, "email" TEXT, "jabberid" TEXT,
    "mailer" TEXT, "title" TEXT, "role" TEXT, "bday" TEXT, "tz" TEXT,
    "n-family" TEXT, "n-given" TEXT, "n-middle" TEXT, "n-prefix" TEXT, "n-suffix" TEXT,
    "adr-street" TEXT, "adr-extadd" TEXT, "adr-pobox" TEXT, "adr-locality" TEXT,
    "adr-region" TEXT, "adr-pcode" TEXT, "adr-country" TEXT, "geo-lat" TEXT, "geo-lon" TEXT,
    "org-orgname" TEXT, "org-orgunit" TEXT, "agent-extval" TEXT, "sort-string" TEXT,
    "desc" TEXT, "note" TEXT, "uid" TEXT,
    "photo-type" TEXT, "photo-binval" TEXT, "photo-extval" TEXT,
    "logo-type" TEXT, "logo-binval" TEXT, "logo-extval" TEXT,
    "sound-phonetic" TEXT, "sound-binval" TEXT, "sound-extval" TEXT,
    "key-type" TEXT, "key-cred" TEXT, "rev" TEXT);
CREATE INDEX i_vcard_owner ON "vcard"("collection-owner");
CREATE TABLE "queue" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "xml" TEXT NOT NULL);
CREATE INDEX i_queue_owner ON "queue"("collection-owner");
CREATE TABLE "private" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "ns" TEXT, "xml" TEXT);
CREATE INDEX i_private_owner ON "private"("collection-owner");
CREATE TABLE "motd-message" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "xml" TEXT NOT NULL);
CREATE TABLE "motd-times" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "time" INTEGER NOT NULL);
CREATE TABLE "privacy-default" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "default" TEXT);
CREATE TABLE "privacy-items" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "list" TEXT NOT NULL, "type" TEXT, "value" TEXT, "deny" BOOL, "order" INTEGER, "block" INTEGER);
CREATE INDEX i_privacyi_owner ON "privacy-items"("collection-owner");
CREATE TABLE "vacation-settings" ("collection-owner" TEXT NOT NULL,
    "object-sequence" INTEGER PRIMARY KEY, "start" INTEGER, "end" INTEGER, "message" TEXT);
CREATE TABLE "status" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "status" TEXT NOT NULL, "show" TEXT, "last-login" INTEGER DEFAULT '0',
    "last-logout" INTEGER DEFAULT '0', "xml" TEXT);
CREATE TABLE "verify" ("collection-owner" TEXT NOT NULL, "object-sequence" INTEGER PRIMARY KEY,
    "email" TEXT NOT NULL, "code" TEXT, "state" INTEGER DEFAULT 0);
COMMIT;
