"""The network guard at connection time: what the resolver lets the crawler dial.

The system resolver is the one part replaced here (it is not ours, and asking it would send
DNS traffic): a table answers instead, as a DNS server would."""

from twisted.internet.address import IPv4Address

from core.config import parse_route
from crawler import resolver
from crawler.resolver import GuardedResolver


class TableDNS:
    """Stands in for the operating system's resolver: answers from a table."""

    def __init__(self, table):
        self.table, self.asked = table, []

    def resolveHostName(self, receiver, name, port=0, *args):
        self.asked.append(name)
        receiver.resolutionBegan(None)
        for addr in self.table.get(name, []):
            receiver.addressResolved(IPv4Address("TCP", addr, port))
        receiver.resolutionComplete()


class Reactor:
    def __init__(self, dns):
        self.nameResolver = dns


class Answer:
    def __init__(self):
        self.addresses, self.done = [], False

    def resolutionBegan(self, r):
        pass

    def addressResolved(self, a):
        self.addresses.append((a.host, a.port))

    def resolutionComplete(self):
        self.done = True


def resolve(guard, name, port=80):
    answer = Answer()
    guard.resolveHostName(answer, name, port)
    assert answer.done
    return answer.addresses


def make(table=None, routes=(), trusted=(), offline=False):
    dns = TableDNS(table or {})
    return GuardedResolver(Reactor(dns), [parse_route(r, k) for k, r in routes], set(trusted), offline), dns


def test_a_public_name_resolving_into_private_space_is_refused_at_connection_time():
    guard, _ = make({"oa.qinghe-xinbei.gov.cn": ["10.1.2.3"], "www.gov.cn": ["180.101.49.12"]})
    assert resolve(guard, "oa.qinghe-xinbei.gov.cn") == []
    assert resolver.BLOCKED["oa.qinghe-xinbei.gov.cn"] == "10.1.2.3"
    assert resolve(guard, "www.gov.cn") == [("180.101.49.12", 80)]


def test_ip_literals_are_judged_too_without_asking_dns():
    guard, dns = make()
    assert resolve(guard, "127.0.0.1") == []
    assert resolve(guard, "192.168.1.20") == []
    assert dns.asked == []


def test_the_sites_own_private_host_is_allowed_nothing_else():
    guard, _ = make({"portal.intranet.cn": ["10.0.0.8"], "other.intranet.cn": ["10.0.0.9"]},
                    trusted={"portal.intranet.cn"})
    assert resolve(guard, "portal.intranet.cn") == [("10.0.0.8", 80)]
    assert resolve(guard, "other.intranet.cn") == []


def test_routed_names_are_answered_as_curl_does_without_asking_dns():
    guard, dns = make({"www.a.gov.cn": ["180.101.49.12"]},
                      routes=[("resolve", "www.a.gov.cn:80:127.0.0.1"), ("connect_to", "www.b.cn:80:127.0.0.1:8081")])
    assert resolve(guard, "www.a.gov.cn") == [("127.0.0.1", 80)]
    assert resolve(guard, "WWW.B.CN") == [("127.0.0.1", 8081)]
    assert dns.asked == []


def test_a_route_is_for_its_port_only():
    guard, dns = make({"www.a.gov.cn": ["180.101.49.12"]}, routes=[("resolve", "www.a.gov.cn:80:127.0.0.1")])
    assert resolve(guard, "www.a.gov.cn", 443) == [("180.101.49.12", 443)]  # as the name resolves
    assert dns.asked == ["www.a.gov.cn"]


def test_special_use_names_and_offline_mode_send_no_query():
    guard, dns = make({"www.gov.cn": ["180.101.49.12"]})
    assert resolve(guard, "www.dead-host.invalid") == []
    offline, dns2 = make({"www.gov.cn": ["180.101.49.12"]}, offline=True)
    assert resolve(offline, "www.gov.cn") == []
    assert dns.asked == [] and dns2.asked == []


def test_intranet_names_are_never_looked_up_unless_they_are_the_site():
    guard, dns = make({"cms-admin": ["10.0.0.1"]})
    assert resolve(guard, "cms-admin") == [] and resolve(guard, "oa.xinbei.local") == []
    assert dns.asked == [] and resolver.BLOCKED["cms-admin"] == ""
    own, dns2 = make({"portal": ["10.0.0.8"]}, trusted={"portal"})
    assert resolve(own, "portal") == [("10.0.0.8", 80)]
