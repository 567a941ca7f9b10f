"""The relationship map on a person's page: an SVG drawn on the server, no JavaScript.

`relationship_map()` turns a person and their already-fetched relationships into plain data —
positions, labels, line styles — and `people/includes/relationship_map.html` draws it, so every
name goes through the template's autoescaping and no markup is built here.

The person sits at the centre; everyone they are related to sits on a ring around them, one
node per person however many relationships the pair has had (dating, then engaged, then
married), with one line per relationship. While they fit, the labels are level; past that
(about eight people) they turn to follow their spokes, as in a radial chart, and the ring
grows with the number of people so neighbours never touch. Text widths are estimated, not
measured, so the estimates err wide.
"""

import datetime
import math
from dataclasses import dataclass

from .models import Person, Relationship

Kind = Relationship.Kind

# Page paper (static/css/site.css --paper); every colour below is checked against it in tests.
PAPER = "#fdfcf9"
INK = "#1a1a1a"
MUTED = "#595959"
LINK = "#8a1c1c"


@dataclass(frozen=True)
class LineStyle:
    """How one kind is drawn: a colour, and a dash pattern or a marker so it never rests on
    colour alone."""

    colour: str
    dasharray: str = ""
    marker: str = ""  # "arrow" (points to the child) or "cross" (a feud), drawn mid-line
    legend: str = ""


LINE_STYLES = {
    Kind.MARRIED: LineStyle("#8a1c1c", legend="Married"),
    Kind.ENGAGED: LineStyle("#9a3a0a", "10 4", legend="Engaged"),
    Kind.DATING: LineStyle("#8f1d5e", "4 4", legend="Dating"),
    Kind.PARENT: LineStyle("#1f4e99", marker="arrow", legend="Parent and child (arrow to child)"),
    Kind.SIBLING: LineStyle("#0b5e51", "10 3 2 3", legend="Siblings"),
    Kind.CO_PARENTS: LineStyle("#5b3a99", "10 3 2 3 2 3", legend="Co-parents"),
    Kind.FRIENDS: LineStyle("#2a5e1c", "2 3", legend="Friends"),
    Kind.COLLABORATORS: LineStyle("#5e4a0e", "16 4", legend="Collaborators"),
    Kind.FEUD: LineStyle(INK, marker="cross", legend="Feud"),
}


@dataclass(frozen=True)
class Marker:
    """A shape drawn at the middle of a line, in a 10 × 10 box pointing along the line."""

    name: str
    d: str
    fill: str
    stroke: str = "none"
    stroke_width: float = 0


MARKERS = {
    "arrow": Marker("arrow", "M 0 1 L 10 5 L 0 9 z", LINE_STYLES[Kind.PARENT].colour),
    "cross": Marker("cross", "M 1 1 L 9 9 M 9 1 L 1 9", "none", INK, 2.5),
}
KIND_ORDER = {kind: index for index, kind in enumerate(Kind.values)}

CURRENT_WIDTH = 3.5
ENDED_WIDTH = 1.75
ENDED_OPACITY = 0.7  # still 3:1 against the paper for every colour, as lines need (WCAG 1.4.11)

CENTRE_RADIUS = 18
NODE_RADIUS = 10
LABEL_GAP = 6  # between a node's circle and its label
NAME_SIZE = 14
PHRASE_SIZE = 12
CENTRE_SIZE = 16
LEGEND_SIZE = 12
LINE_HEIGHT = 16
CHAR_WIDTH = 0.62  # of the font size: a generous average for sans-serif, so estimates err wide
NAME_MAX = 22
PHRASE_MAX = 24
PARALLEL_GAP = 5  # between the lines of a pair with several relationships

RING_MIN = 110
RADIAL_SPACING = 2 * LINE_HEIGHT  # along the ring, per node: two lines of rotated label
MARGIN = 10
MIN_WIDTH = 480
LEGEND_ROW = 20
LEGEND_COLUMN = 270
LEGEND_SAMPLE = 36


@dataclass(frozen=True)
class Tie:
    """One relationship as the centre person reads it: “married to (24 May 2014 – 2 March 2022)”."""

    kind: str
    phrase: str
    is_current: bool
    span: str

    @property
    def text(self):
        return f"{self.phrase} ({self.span})" if self.span else self.phrase


@dataclass(frozen=True)
class Edge:
    """One line, for one relationship; `d` is a three-point path so markers sit mid-line."""

    kind: str
    is_current: bool
    d: str
    stroke: str
    width: float
    dasharray: str
    opacity: float  # 1 when current
    marker: str
    title: str

    @property
    def css_class(self):
        status = "current" if self.is_current else "ended"
        return (
            f"relationship-map__edge relationship-map__edge--{self.kind.replace('_', '-')} "
            f"relationship-map__edge--{status}"
        )


@dataclass(frozen=True)
class Label:
    """A line of text placed for the template; `transform` is a rotation or empty."""

    text: str
    x: float
    y: float
    anchor: str
    size: int
    fill: str
    css_class: str
    transform: str = ""
    bold: bool = False


@dataclass(frozen=True)
class Node:
    """Someone the centre person is related to, at (x, y), linking to their page."""

    name: str
    url: str
    x: float
    y: float
    ties: tuple[Tie, ...]
    name_label: Label
    phrase_label: Label

    @property
    def labels(self):
        return (self.name_label, self.phrase_label)

    @property
    def title(self):
        """Every relationship of the pair, for the tooltip and the link's accessible name."""
        return f"{self.name} — {', '.join(tie.text for tie in self.ties)}"

    @property
    def is_current(self):
        return any(tie.is_current for tie in self.ties)


@dataclass(frozen=True)
class LegendEntry:
    label: str
    x: float
    y: float
    stroke: str
    width: float
    dasharray: str = ""
    opacity: float = 1
    marker: str = ""

    @property
    def d(self):
        points = (self.x, self.x + LEGEND_SAMPLE / 2, self.x + LEGEND_SAMPLE)
        return "M " + " L ".join(f"{x:g} {self.y:g}" for x in points)

    @property
    def text_x(self):
        return self.x + LEGEND_SAMPLE + 8

    @property
    def text_y(self):
        return self.y + 4


@dataclass(frozen=True)
class RelationshipMap:
    """Everything the template draws. Empty `nodes` means the template draws nothing at all,
    so the page decides whether to say “no known relationships”."""

    dom_id: str
    centre_label: Label
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[LegendEntry, ...]
    legend_title_y: float
    view_box: str
    title: str
    description: str

    # Drawing constants the template needs; class attributes, not fields.
    centre_radius = CENTRE_RADIUS
    node_radius = NODE_RADIUS
    legend_size = LEGEND_SIZE
    paper = PAPER
    ink = INK
    muted = MUTED

    @property
    def markers(self):
        """The markers some line uses, so `<defs>` holds only those."""
        used = {edge.marker for edge in self.edges} | {entry.marker for entry in self.legend}
        return tuple(MARKERS[name] for name in sorted(used - {""}))

    @property
    def legend_x(self):
        return self.legend[0].x if self.legend else 0


def relationship_map(person: Person, relationships) -> RelationshipMap:
    """Lay out the map of `person` from `relationships` (all involving them, both people
    already loaded). Runs no queries; the same relationships give the same map in any order.

    With no relationships the map has no nodes and the template draws nothing — not even a
    sentence — so the page can leave out its heading too (`{% if relationship_map.nodes %}`).
    """
    by_other: dict[int, tuple[Person, list[Relationship]]] = {}
    for rel in relationships:
        if person.pk not in (rel.person_a_id, rel.person_b_id):
            raise ValueError(f"{rel} does not involve {person}.")
        other = rel.other(person)
        by_other.setdefault(other.pk, (other, []))[1].append(rel)

    people = []
    for other, rels in by_other.values():
        rels.sort(key=_chronological)
        ties = tuple(_tie(person, rel) for rel in rels)
        people.append((other, rels, ties))
    people.sort(key=lambda item: _node_order(*item))

    count = len(people)
    centre_label = Label(
        _short(person.name, NAME_MAX),
        0,
        CENTRE_RADIUS + LABEL_GAP + CENTRE_SIZE,
        "middle",
        CENTRE_SIZE,
        INK,
        "relationship-map__person",
        bold=True,
    )
    radial, ring = _ring(people, centre_label)

    nodes, edges = [], []
    for index, (other, rels, ties) in enumerate(people):
        angle = 2 * math.pi * index / count
        x, y = _round(ring * math.cos(angle)), _round(ring * math.sin(angle))
        name_label, phrase_label = _labels(
            _short(other.name, NAME_MAX), _phrase(ties), angle, x, y, radial
        )
        nodes.append(
            Node(other.name, other.get_absolute_url(), x, y, ties, name_label, phrase_label)
        )
        edges.extend(_edges(person, other, rels, ties, angle, ring))

    min_x, min_y, max_x, max_y = _bounds(nodes, centre_label, radial)
    legend, legend_title_y = _legend(edges, min_x, max_x, max_y + 2 * LINE_HEIGHT)
    if legend:
        max_x = max(
            max_x, max(entry.text_x + _text_width(entry.label, LEGEND_SIZE) for entry in legend)
        )
        max_y = max(entry.y for entry in legend) + LEGEND_ROW / 2
    min_x, min_y, max_x, max_y = min_x - MARGIN, min_y - MARGIN, max_x + MARGIN, max_y + MARGIN
    # The SVG is as wide as its column; a floor on the width keeps a small map's text from
    # being blown up to headline size.
    widen = max(0, MIN_WIDTH - (max_x - min_x)) / 2
    min_x, max_x = min_x - widen, max_x + widen
    width, height = _round(max_x - min_x), _round(max_y - min_y)

    ended = sum(not tie.is_current for _, _, ties in people for tie in ties)
    total = sum(len(ties) for _, _, ties in people)
    description = (
        f"{person.name} at the centre, linked to {_plural(count, 'person', 'people')} by "
        f"{_plural(total, 'relationship', 'relationships')}"
        + (f", {ended} of them ended" if ended else "")
        + f". Each link names a person and how {person.name} is related to them."
    )
    return RelationshipMap(
        dom_id=f"relationship-map-{person.pk}",
        centre_label=centre_label,
        nodes=tuple(nodes),
        edges=tuple(edges),
        legend=legend,
        legend_title_y=legend_title_y,
        view_box=f"{_round(min_x):g} {_round(min_y):g} {width:g} {height:g}",
        title=f"Relationship map of {person.name}",
        description=description,
    )


def _chronological(rel):
    started = rel.started_on or datetime.date.max
    return (rel.started_on is None, started, KIND_ORDER[rel.kind], rel.pk or 0)


def _node_order(other, rels, ties):
    # Neighbours on the ring share a kind: the spouse beside the fiancé, the children together.
    primary = _primary(ties)
    return (KIND_ORDER[primary.kind], primary.phrase, other.name.casefold(), other.pk or 0)


def _primary(ties):
    """The tie that describes the pair best: a current one first, then the closest kind."""
    return min(ties, key=lambda tie: (not tie.is_current, KIND_ORDER[tie.kind]))


def _tie(person, rel):
    # An ended tie with no date known still says that it ended.
    span = rel.span or ("" if rel.is_current else "ended")
    return Tie(rel.kind, rel.phrase_for(person), rel.is_current, span)


def _phrase(ties):
    primary = _primary(ties)
    phrase = primary.phrase
    if not primary.is_current and primary.kind not in Relationship.DIRECTED_KINDS:
        phrase = f"formerly {phrase}"
    return _short(phrase, PHRASE_MAX)


def _short(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def _round(value):
    # One decimal keeps the SVG short; adding 0.0 turns -0.0 into 0.0.
    return round(value, 1) + 0.0


def _text_width(text, size, bold=False):
    return len(text) * size * (CHAR_WIDTH + (0.05 if bold else 0))


def _ring(people, centre_label):
    """(radial labels?, ring radius). Level labels read best, so they are kept whenever they
    fit on the smallest ring; otherwise the labels follow their spokes."""
    count = len(people)
    centre_box = _label_box(centre_label)
    boxes = [centre_box]
    for index, (other, _, ties) in enumerate(people):
        angle = 2 * math.pi * index / count
        x, y = RING_MIN * math.cos(angle), RING_MIN * math.sin(angle)
        name, phrase = _labels(_short(other.name, NAME_MAX), _phrase(ties), angle, x, y, False)
        boxes.append(_circle_box(x, y, NODE_RADIUS + 2))
        boxes.append(_union(_label_box(name), _label_box(phrase)))
    if not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]):
        return False, RING_MIN
    # Rotated labels need only their line height along the ring, and so do the nodes; the
    # ring also clears the centre's name, which is not rotated.
    along_ring = count * RADIAL_SPACING / (2 * math.pi)
    clear_of_centre = math.hypot(centre_box[2], centre_box[3]) + NODE_RADIUS + LABEL_GAP
    return True, math.ceil(max(RING_MIN, along_ring, clear_of_centre))


def _labels(name, phrase, angle, x, y, radial):
    """The name and phrase lines of a node at (x, y), set outward from the centre."""
    cos, sin = math.cos(angle), math.sin(angle)
    if radial:
        reach = NODE_RADIUS + LABEL_GAP
        lx, ly = _round(x + reach * cos), _round(y + reach * sin)
        # Keep the left half readable: turn it half a turn and read it towards the node.
        left = cos < -1e-9
        degrees = _round(math.degrees(angle) + (180 if left else 0))
        transform = f"rotate({degrees:g} {lx:g} {ly:g})"
        anchor = "end" if left else "start"
        return (
            _name(name, lx, _round(ly - 2), anchor, transform),
            _phrase_line(phrase, lx, _round(ly + PHRASE_SIZE), anchor, transform),
        )
    if abs(sin) > 0.95:  # near the top or bottom: centred above or below
        lx = x
        anchor = "middle"
        if sin < 0:
            name_y = y - NODE_RADIUS - LABEL_GAP - PHRASE_SIZE - 4
        else:
            name_y = y + NODE_RADIUS + LABEL_GAP + NAME_SIZE
    else:
        lx = x + (NODE_RADIUS + LABEL_GAP) * (1 if cos > 0 else -1)
        anchor = "start" if cos > 0 else "end"
        name_y = y - 2
    return (
        _name(name, _round(lx), _round(name_y), anchor),
        _phrase_line(phrase, _round(lx), _round(name_y + PHRASE_SIZE + 2), anchor),
    )


def _name(text, x, y, anchor, transform=""):
    return Label(text, x, y, anchor, NAME_SIZE, LINK, "relationship-map__name", transform)


def _phrase_line(text, x, y, anchor, transform=""):
    return Label(text, x, y, anchor, PHRASE_SIZE, MUTED, "relationship-map__phrase", transform)


def _label_box(label):
    """(left, top, right, bottom) of an unrotated label, from its estimated width."""
    size = label.size
    width = _text_width(label.text, size, label.bold)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return (left, label.y - size, left + width, label.y + size * 0.3)


def _circle_box(x, y, radius):
    return (x - radius, y - radius, x + radius, y + radius)


def _union(*boxes):
    """The (left, top, right, bottom) box around all of `boxes`."""
    lefts, tops, rights, bottoms = zip(*boxes, strict=True)
    return (min(lefts), min(tops), max(rights), max(bottoms))


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _edges(person, other, rels, ties, angle, ring):
    """One line per relationship, side by side when the pair has several."""
    cos, sin = math.cos(angle), math.sin(angle)
    gap = min(PARALLEL_GAP, 2 * (NODE_RADIUS - 2) / max(len(rels) - 1, 1))
    edges = []
    for index, (rel, tie) in enumerate(zip(rels, ties, strict=True)):
        shift = (index - (len(rels) - 1) / 2) * gap
        dx, dy = -sin * shift, cos * shift
        points = [
            (dx, dy),
            (ring * cos / 2 + dx, ring * sin / 2 + dy),
            (ring * cos + dx, ring * sin + dy),
        ]
        if rel.is_directed and rel.person_b_id == person.pk:  # “child of”: the arrow points in
            points.reverse()
        style = LINE_STYLES[rel.kind]
        span = f" ({tie.span})" if tie.span else ""
        edges.append(
            Edge(
                kind=rel.kind,
                is_current=tie.is_current,
                d="M " + " L ".join(f"{_round(px):g} {_round(py):g}" for px, py in points),
                stroke=style.colour,
                width=CURRENT_WIDTH if tie.is_current else ENDED_WIDTH,
                dasharray=style.dasharray,
                opacity=1 if tie.is_current else ENDED_OPACITY,
                marker=style.marker,
                title=f"{person.name} {tie.phrase} {other.name}{span}",
            )
        )
    return edges


def _bounds(nodes, centre_label, radial):
    boxes = [
        _circle_box(0, 0, CENTRE_RADIUS),
        _label_box(centre_label),
    ]
    for node in nodes:
        boxes.append(_circle_box(node.x, node.y, NODE_RADIUS))
        for label in node.labels:
            if radial:
                # The far end of a rotated label, one line height either side of its spoke.
                reach = math.hypot(label.x, label.y) + _text_width(label.text, label.size)
                direction = math.atan2(node.y, node.x)
                end_x, end_y = reach * math.cos(direction), reach * math.sin(direction)
                boxes.append(_circle_box(end_x, end_y, LINE_HEIGHT))
                boxes.append(_circle_box(label.x, label.y, LINE_HEIGHT))
            else:
                boxes.append(_label_box(label))
    return _union(*boxes)


def _legend(edges, min_x, max_x, top):
    """The key, below the map: only the kinds drawn, then how current and ended lines differ
    (only the states drawn). Returns the entries and the baseline of the “Key” heading."""
    if not edges:
        return (), top
    kinds = sorted({edge.kind for edge in edges}, key=KIND_ORDER.__getitem__)
    entries = [(LINE_STYLES[kind].legend, LINE_STYLES[kind], True) for kind in kinds]
    states = {edge.is_current for edge in edges}
    if True in states:
        entries.append(("Current: thick line", LineStyle(INK), True))
    if False in states:
        entries.append(("Ended: thin, faded line", LineStyle(INK), False))
    columns = max(1, min(2, int((max_x - min_x) // LEGEND_COLUMN)))
    rows = math.ceil(len(entries) / columns)
    legend = []
    for index, (label, style, is_current) in enumerate(entries):
        column, row = divmod(index, rows)
        legend.append(
            LegendEntry(
                label=label,
                x=_round(min_x + column * LEGEND_COLUMN),
                y=_round(top + (row + 1) * LEGEND_ROW),
                stroke=style.colour,
                width=CURRENT_WIDTH if is_current else ENDED_WIDTH,
                dasharray=style.dasharray,
                opacity=1 if is_current else ENDED_OPACITY,
                marker=style.marker,
            )
        )
    return tuple(legend), _round(top)
