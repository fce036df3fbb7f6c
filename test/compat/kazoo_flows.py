"""Runs ZooKeeper client flows with kazoo (Debian python3-kazoo) against HOSTS and prints a JSON
report. Used by test/compat/zookeeper-clients.test.ts against Barista's coordination service and,
for comparison, against a real ZooKeeper server."""
import json
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoNodeError, NodeExistsError, NotEmptyError, NoAuthError
from kazoo.security import make_digest_acl

hosts = sys.argv[1]
prefix = sys.argv[2] if len(sys.argv) > 2 else "/kazoo"
report = {}


def connect():
    client = KazooClient(hosts=hosts, timeout=10)
    client.start(timeout=15)
    return client


zk = connect()
zk.ensure_path(prefix)

# create / get / set / delete
zk.create(prefix + "/node", b"v1")
data, stat = zk.get(prefix + "/node")
report["get"] = [data.decode(), stat.version, stat.dataLength]
stat = zk.set(prefix + "/node", b"v2", version=0)
report["set_version"] = stat.version
try:
    zk.set(prefix + "/node", b"v3", version=0)
    report["bad_version"] = "no error"
except BadVersionError:
    report["bad_version"] = "BadVersionError"
try:
    zk.create(prefix + "/node", b"again")
except NodeExistsError:
    report["exists_error"] = "NodeExistsError"
try:
    zk.get(prefix + "/missing")
except NoNodeError:
    report["missing_error"] = "NoNodeError"

# children, sequential, ephemeral
for i in range(3):
    zk.create(prefix + "/node/seq-", b"", sequence=True)
report["children"] = sorted(zk.get_children(prefix + "/node"))
try:
    zk.delete(prefix + "/node")
except NotEmptyError:
    report["not_empty"] = "NotEmptyError"
zk.delete(prefix + "/node", recursive=True)
report["deleted"] = zk.exists(prefix + "/node") is None

other = connect()
other.create(prefix + "/ephemeral", b"mine", ephemeral=True)
# Another session may be on another server: ZooKeeper promises it sees the write only after sync.
zk.sync(prefix)
report["ephemeral_owner_is_session"] = zk.exists(prefix + "/ephemeral").ephemeralOwner == other.client_id[0]
other.stop()
other.close()
deadline = time.time() + 10
while zk.exists(prefix + "/ephemeral") is not None and time.time() < deadline:
    time.sleep(0.05)
    zk.sync(prefix)
report["ephemeral_gone_after_close"] = zk.exists(prefix + "/ephemeral") is None

# watches
events = []
fired = threading.Event()
zk.create(prefix + "/watched", b"a")


def on_change(event):
    events.append([event.type, event.path])
    fired.set()


zk.get(prefix + "/watched", watch=on_change)
zk.set(prefix + "/watched", b"b")
fired.wait(5)
report["data_watch"] = events[:]
events.clear()
fired.clear()
zk.get_children(prefix + "/watched", watch=on_change)
zk.create(prefix + "/watched/kid", b"")
fired.wait(5)
report["child_watch"] = events[:]

# ACLs
acl = make_digest_acl("alice", "secret", all=True)
zk.create(prefix + "/private", b"top secret", acl=[acl])
try:
    zk.get(prefix + "/private")
    report["acl_denied"] = "no error"
except NoAuthError:
    report["acl_denied"] = "NoAuthError"
alice = KazooClient(hosts=hosts, timeout=10, auth_data=[("digest", "alice:secret")])
alice.start(timeout=15)
alice.sync(prefix)
report["acl_allowed"] = alice.get(prefix + "/private")[0].decode()
alice.stop()
alice.close()

# multi
tx = zk.transaction()
tx.create(prefix + "/tx1", b"1")
tx.create(prefix + "/tx2", b"2")
report["multi_ok"] = [str(r) for r in tx.commit()]
tx = zk.transaction()
tx.create(prefix + "/tx3", b"3")
tx.check(prefix + "/tx1", 5)
results = tx.commit()
report["multi_failed"] = [type(r).__name__ for r in results]
report["multi_failed_left_nothing"] = zk.exists(prefix + "/tx3") is None

# recipes: lock and election
lock = zk.Lock(prefix + "/lock", "me")
with lock:
    report["lock_contenders"] = len(lock.contenders())
elected = []
election = zk.Election(prefix + "/election", "candidate-1")
t = threading.Thread(target=lambda: election.run(lambda: elected.append(True)))
t.start()
t.join(10)
report["elected"] = elected == [True]

zk.stop()
zk.close()
print(json.dumps(report, sort_keys=True))
