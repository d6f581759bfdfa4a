"""Referrals between agencies as a network, and a circular layout to draw it server-side."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from lantern.chronology.analysis.facts import EntryFact
from lantern.chronology.analysis.text import (
    MARAC,
    MASH,
    AgencyNames,
    place_prefix,
    referral_clauses,
    referrals_from,
    short_label,
)


@dataclass
class Edge:
    source: str
    target: str
    count: int = 0
    first: date | None = None
    last: date | None = None
    entry_ids: list[int] = field(default_factory=list)

    def add(self, fact: EntryFact) -> None:
        self.count += 1
        self.first = fact.day if self.first is None else min(self.first, fact.day)
        self.last = fact.day if self.last is None else max(self.last, fact.day)
        self.entry_ids.append(fact.id)

    def as_dict(self) -> dict:
        return {
            "from": self.source,
            "to": self.target,
            "referrals": self.count,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }


def referral_network(contacts: Sequence[EntryFact], names: AgencyNames) -> list[Edge]:
    """Edges A -> B where A's entries say they referred or signposted to B ("referred to CSC",
    "SARC referral"), or B's say they received a referral from A ("referral from police"), with
    MASH and MARAC as nodes too (also from the entries' MASH and MARAC referral fields). One
    entry counts once per edge. Sorted by source, then target."""
    edges: dict[tuple[str, str], Edge] = {}

    def add(source: str, target: str, fact: EntryFact) -> None:
        edge = edges.get((source, target))
        if edge is None:
            edge = edges[(source, target)] = Edge(source, target)
        if not edge.entry_ids or edge.entry_ids[-1] != fact.id:
            edge.add(fact)

    # Chronologies repeat standard phrases: each (clauses, agency) is read once per call.
    seen: dict[tuple[tuple[str, ...], str], list[tuple[str, str]]] = {}
    for fact in sorted(contacts, key=lambda f: (f.day, f.id)):
        found = []
        clauses = (
            fact.notes.referral_clauses
            if fact.notes is not None
            else referral_clauses(fact.text)
            if fact.text
            else ()
        )
        if clauses:
            key = (clauses, fact.agency)
            if key not in seen:
                seen[key] = referrals_from(clauses, names, own_agency=fact.agency)
            found = list(seen[key])
        if fact.marac_referral and (fact.agency, MARAC) not in found:
            found.append((fact.agency, MARAC))
        if fact.mash_referral and (fact.agency, MASH) not in found:
            found.append((fact.agency, MASH))
        for source, target in found:
            if source != target:
                add(source, target, fact)
    return [edges[key] for key in sorted(edges)]


@dataclass(frozen=True)
class Node:
    name: str
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor: start | middle | end
    multi_agency: bool


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    count: int
    x1: float
    y1: float
    x2: float
    y2: float
    weight: int  # 1-4, for the line's thickness


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    nodes: list[Node]
    arrows: list[Arrow]


def circle_layout(
    edges: Sequence[Edge],
    *,
    width: int = 960,
    height: int = 720,
    radius: float = 250,
    node_radius: float = 9,
) -> Layout:
    """Agencies in the network on a circle (by name, starting at the top, clockwise; MASH and
    MARAC in the middle), with arrows shortened to stop at the nodes' edges. Arrows both ways
    between two nodes are drawn side by side."""
    names = sorted({e.source for e in edges} | {e.target for e in edges})
    ring = [n for n in names if n not in (MASH, MARAC)]
    hubs = [n for n in (MASH, MARAC) if n in names]
    cx, cy = width / 2, height / 2
    prefix = place_prefix(ring)
    nodes: dict[str, Node] = {}
    for i, name in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(ring), 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        lx = cx + (radius + 16) * cos
        ly = cy + (radius + 16) * math.sin(angle) + 4
        if anchor == "middle":
            ly += 10 if math.sin(angle) > 0 else -8
        nodes[name] = Node(name, short_label(name, prefix, 26), x, y, lx, ly, anchor, False)
    for i, name in enumerate(hubs):
        x = cx + (i - (len(hubs) - 1) / 2) * 120
        nodes[name] = Node(name, name, x, cy, x, cy + 28, "middle", True)
    heaviest = max((e.count for e in edges), default=1)
    pairs = {(e.source, e.target) for e in edges}
    arrows = []
    for e in edges:
        a, b = nodes[e.source], nodes[e.target]
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        offset = 4.0 if (e.target, e.source) in pairs else 0.0
        ox, oy = -uy * offset, ux * offset
        arrows.append(
            Arrow(
                source=e.source,
                target=e.target,
                count=e.count,
                x1=round(a.x + ux * node_radius + ox, 1),
                y1=round(a.y + uy * node_radius + oy, 1),
                x2=round(b.x - ux * (node_radius + 3) + ox, 1),
                y2=round(b.y - uy * (node_radius + 3) + oy, 1),
                weight=1 + min(3, int(3 * (e.count - 1) / max(heaviest - 1, 1) + 0.5)),
            )
        )
    ordered = [nodes[n] for n in ring + hubs]
    rounded = [
        Node(
            n.name,
            n.label,
            round(n.x, 1),
            round(n.y, 1),
            round(n.label_x, 1),
            round(n.label_y, 1),
            n.anchor,
            n.multi_agency,
        )
        for n in ordered
    ]
    return Layout(width=width, height=height, nodes=rounded, arrows=arrows)
