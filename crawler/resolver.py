"""Name resolution with the network guard, enforced at connection time.

Every connection Scrapy makes asks this resolver for addresses (IP literals too), so the
guard sees the address that will really be dialled, after DNS — a public name that resolves
into 10/8 or 127/8 is refused here even though its URL text looked harmless.

Order: --resolve / --connect-to routes (curl's meaning), then RFC 6761 names answered
locally (`.invalid`, `.test`, `.example`: no DNS query is sent), then — unless offline —
the system resolver. Private and loopback answers are allowed only for trusted hosts: the
site's own hosts and the hosts the operator routed explicitly.
"""

from __future__ import annotations

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer

from core.config import Route, parse_route
from core.urls import INTERNAL_SUFFIXES, ip_of, is_private_address, is_special_nxdomain

# host -> the private address it resolved to; read by the spider to tell a blocked
# connection ("not-checked-private") from a plain DNS failure.
BLOCKED: dict[str, str] = {}


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str):
        self.name = name

    def cancel(self) -> None:
        pass


def _address(addr: str, port: int):
    ip = ip_of(addr)
    return IPv6Address("TCP", str(ip), port) if ip.version == 6 else IPv4Address("TCP", str(ip), port)


@implementer(IHostnameResolver)
class GuardedResolver:
    def __init__(self, reactor, routes: list[Route], trusted: set[str], offline: bool):
        self.reactor = reactor
        self.system = reactor.nameResolver
        self.routes = {(r.host, r.port): r for r in routes}
        self.trusted = {h.lower() for h in trusted} | {r.host for r in routes}
        self.offline = offline

    @classmethod
    def from_crawler(cls, crawler, reactor):
        s = crawler.settings
        routes = [parse_route(r, "resolve") for r in s.getlist("INSPECTOR_RESOLVE")]
        routes += [parse_route(r, "connect_to") for r in s.getlist("INSPECTOR_CONNECT_TO")]
        return cls(reactor, routes, set(s.getlist("INSPECTOR_TRUSTED_HOSTS")), s.getbool("INSPECTOR_OFFLINE"))

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"):
        name = hostName.lower().rstrip(".")
        resolution = _Resolution(hostName)
        receiver.resolutionBegan(resolution)
        route = self.routes.get((name, portNumber))
        literal = ip_of(name)
        if route is not None:
            receiver.addressResolved(_address(route.addr, route.to_port))
        elif literal is not None:
            self._deliver(receiver, name, [_address(str(literal), portNumber)])
            return resolution
        elif is_special_nxdomain(name) or self.offline:
            pass  # answered locally: no such name
        elif name not in self.trusted and ("." not in name or name.endswith(INTERNAL_SUFFIXES)):
            BLOCKED[name] = ""  # single-label and .local names are never looked up
        else:
            self.system.resolveHostName(_Collector(self, receiver, name), hostName, portNumber,
                                        addressTypes, transportSemantics)
            return resolution
        receiver.resolutionComplete()
        return resolution

    def _deliver(self, receiver, name: str, addresses) -> None:
        if name not in self.trusted:
            private = [a.host for a in addresses if is_private_address(a.host)]
            if private:
                BLOCKED[name] = private[0]
                addresses = []
        for address in addresses:
            receiver.addressResolved(address)
        receiver.resolutionComplete()


@implementer(IResolutionReceiver)
class _Collector:
    """Holds the system resolver's answers until all are in, then lets the guard judge them."""

    def __init__(self, guard: GuardedResolver, receiver, name: str):
        self.guard, self.receiver, self.name, self.addresses = guard, receiver, name, []

    def resolutionBegan(self, resolution) -> None:
        pass

    def addressResolved(self, address) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.guard._deliver(self.receiver, self.name, self.addresses)
