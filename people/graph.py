"""The relationship map on a person's page: an SVG drawn on the server, no JavaScript.

`relationship_map()` turns a person and their already-fetched relationships into plain data —
positions, labels, line styles — and `people/includes/relationship_map.html` draws it, so every
name goes through the template's autoescaping and no markup is built here.

The person sits at the centre; everyone they are related to sits on a ring around them, one
node per person however many relationships the pair has had (dating, then engaged, then
married), with one line per relationship. While they fit, the labels are level: centred under
or over their node (a long name on two lines), or beside it when neither place is clear, each
placed where it covers no line, circle or other label; past that (about eight people) they turn
to follow their spokes, as in a radial chart, and the ring grows with the number of people so
neighbours never touch. The lines stop at the edge of the centre person's circle and name, so
no line runs under a label. Text widths are estimated, not measured, so the estimates err wide.

The map is drawn at its natural size (one unit a CSS pixel) and shrinks with a narrow column:
the closest tie at the top and centred labels keep a family of a few people narrow enough that
on a phone's 358-pixel column even its smallest text reads at 11 pixels or more. The circles
are large enough to hold a face.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pictures.models import Picture

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


# A kind is its value, a string: a relationship's `kind` finds its style.
LINE_STYLES: dict[str, LineStyle] = {
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

# Large enough to hold a face (or initials) inside.
CENTRE_RADIUS = 28
NODE_RADIUS = 18
LABEL_GAP = 5  # between a node's circle and its label
NAME_SIZE = 15
PHRASE_SIZE = 13
CENTRE_SIZE = 16
LEGEND_SIZE = 13
LINE_HEIGHT = 17
CHAR_WIDTH = 0.62  # of the font size: a generous average for sans-serif, so estimates err wide
NAME_MAX = 22
NAME_LINE = 13  # a longer name goes on two lines, split at the space nearest its middle
CENTRE_LINE = 10  # the same for the centre's name, in larger type
PHRASE_MAX = 24
PARALLEL_GAP = 5  # between the lines of a pair with several relationships

RING_MIN = 120
RING_MAX_LEVEL = 240  # past this, level labels give way to labels along the spokes
RING_STEP = 10
# Along the ring, per node: two lines of rotated label, and room between the circles.
RADIAL_SPACING = max(2 * LINE_HEIGHT, 2 * NODE_RADIUS + 6)
MARGIN = 10
LINE_CLEARANCE = 3  # between a label and a line, beyond half the line's width
HUB_PADDING = 4  # between the centre's circle and name and the lines that stop at them
MIN_SPOKE = 30  # of every line seen between the centre's circle or name and the node's circle
LEGEND_ROW = 20
LEGEND_COLUMN = 270
LEGEND_SAMPLE = 36

# Geometry: a point (x, y); a box (left, top, right, bottom); a line from one point to
# another, and its width.
Point = tuple[float, float]
Box = tuple[float, float, float, float]
Segment = tuple[Point, Point, float]


@dataclass(frozen=True)
class Tie:
    """One relationship as the centre person reads it: “married to (24 May 2014 – 2 March 2022)”."""

    kind: str
    phrase: str
    is_current: bool
    span: str

    @property
    def text(self) -> str:
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
    def css_class(self) -> str:
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
    labels: tuple[Label, ...]  # the name's line or two, then the phrase
    # Their face inside the circle (drawn from the portrait's smallest square rendition), or
    # their initials without one.
    portrait: Picture | None = None

    @property
    def initials(self) -> str:
        words = self.name.split()
        return (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")).upper()

    @property
    def face_top_left(self) -> tuple[float, float]:
        return (self.x - NODE_RADIUS, self.y - NODE_RADIUS)

    @property
    def face_size(self) -> float:
        return 2 * NODE_RADIUS

    @property
    def name_label(self) -> Label:
        return self.labels[0]

    @property
    def phrase_label(self) -> Label:
        return self.labels[-1]

    @property
    def title(self) -> str:
        """Every relationship of the pair, for the tooltip and the link's accessible name."""
        return f"{self.name} — {', '.join(tie.text for tie in self.ties)}"

    @property
    def is_current(self) -> bool:
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
    def d(self) -> str:
        points = (self.x, self.x + LEGEND_SAMPLE / 2, self.x + LEGEND_SAMPLE)
        return "M " + " L ".join(f"{x:g} {self.y:g}" for x in points)

    @property
    def text_x(self) -> float:
        return self.x + LEGEND_SAMPLE + 8

    @property
    def text_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class RelationshipMap:
    """Everything the template draws. Empty `nodes` means the template draws nothing at all,
    so the page decides whether to say “no known relationships”."""

    dom_id: str
    centre_labels: tuple[Label, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[LegendEntry, ...]
    legend_title_y: float
    view_box: str
    width: float  # of the view box, drawn one unit to a CSS pixel at most
    height: float
    title: str
    description: str
    # The person at the centre's own face inside their circle, when they have a portrait
    # (credited beside it at the top of their page).
    centre_portrait: Picture | None = None

    # Drawing constants the template needs; class attributes, not fields.
    centre_radius = CENTRE_RADIUS
    node_radius = NODE_RADIUS
    legend_size = LEGEND_SIZE
    paper = PAPER
    ink = INK
    muted = MUTED

    @property
    def markers(self) -> tuple[Marker, ...]:
        """The markers some line uses, so `<defs>` holds only those."""
        used = {edge.marker for edge in self.edges} | {entry.marker for entry in self.legend}
        return tuple(MARKERS[name] for name in sorted(used - {""}))

    @property
    def centre_face_top_left(self) -> float:
        return -CENTRE_RADIUS

    @property
    def centre_face_size(self) -> float:
        return 2 * CENTRE_RADIUS

    @property
    def centre_label(self) -> Label:
        return self.centre_labels[0]

    @property
    def portrayed(self) -> list[Node]:
        """The people drawn with their face, for the credits under the map."""
        return [node for node in self.nodes if node.portrait is not None]

    @property
    def legend_x(self) -> float:
        return self.legend[0].x if self.legend else 0


# Someone related to the centre person: them, their relationships with the centre person,
# and those as ties, in the same order.
Related = tuple[Person, list[Relationship], tuple[Tie, ...]]
# Labels placed as one: a node's name (a line or two) and phrase, or the centre's name.
Labels = tuple[Label, ...]


def relationship_map(person: Person, relationships: Iterable[Relationship]) -> RelationshipMap:
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
    centre_labels = _centre_labels(_short(person.name, NAME_MAX))
    # The centre's name: lines stop where they leave it, as they do at the centre's circle.
    names = _inflate(_union(*map(_label_box, centre_labels)), HUB_PADDING)
    hub = _union(_circle_box(0, 0, CENTRE_RADIUS + HUB_PADDING), names)
    radial, ring, placed = _ring(people, names, hub)

    nodes, edges = [], []
    for index, (other, rels, ties) in enumerate(people):
        angle = _angle(index, count)
        x, y = _round(ring * math.cos(angle)), _round(ring * math.sin(angle))
        if radial:
            labels = _radial_labels(_short(other.name, NAME_MAX), _phrase(ties), angle, x, y)
        else:
            labels = placed[index]
        portrait = other.portrait if other.portrait_id else None
        nodes.append(Node(other.name, other.get_absolute_url(), x, y, ties, labels, portrait))
        edges.extend(_edges(person, other, rels, ties, angle, ring, names))

    min_x, min_y, max_x, max_y = _bounds(nodes, hub, radial)
    legend, legend_title_y = _legend(edges, min_x, max_x, max_y + 2 * LINE_HEIGHT)
    if legend:
        max_x = max(
            max_x, max(entry.text_x + _text_width(entry.label, LEGEND_SIZE) for entry in legend)
        )
        max_y = max(entry.y for entry in legend) + LEGEND_ROW / 2
    min_x, min_y, max_x, max_y = min_x - MARGIN, min_y - MARGIN, max_x + MARGIN, max_y + MARGIN
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
        centre_labels=centre_labels,
        centre_portrait=person.portrait if person.portrait_id else None,
        nodes=tuple(nodes),
        edges=tuple(edges),
        legend=legend,
        legend_title_y=legend_title_y,
        view_box=f"{_round(min_x):g} {_round(min_y):g} {width:g} {height:g}",
        width=width,
        height=height,
        title=f"Relationship map of {person.name}",
        description=description,
    )


def _angle(index: int, count: int) -> float:
    """Where the `index`th of `count` people sits on the ring: the first (the closest tie) at
    the top, the rest clockwise, so the centre's name below its circle sits between spokes."""
    return -math.pi / 2 + 2 * math.pi * index / count


def _chronological(rel: Relationship) -> tuple[bool, datetime.date, int, int]:
    started = rel.started_on or datetime.date.max
    return (rel.started_on is None, started, KIND_ORDER[rel.kind], rel.pk or 0)


def _node_order(
    other: Person, rels: list[Relationship], ties: tuple[Tie, ...]
) -> tuple[int, str, str, int]:
    # Neighbours on the ring share a kind: the spouse beside the fiancé, the children together.
    primary = _primary(ties)
    return (KIND_ORDER[primary.kind], primary.phrase, other.name.casefold(), other.pk or 0)


def _primary(ties: Iterable[Tie]) -> Tie:
    """The tie that describes the pair best: a current one first, then the closest kind."""
    return min(ties, key=lambda tie: (not tie.is_current, KIND_ORDER[tie.kind]))


def _tie(person: Person, rel: Relationship) -> Tie:
    # An ended tie with no date known still says that it ended.
    span = rel.span or ("" if rel.is_current else "ended")
    return Tie(rel.kind, rel.phrase_for(person), rel.is_current, span)


def _phrase(ties: Iterable[Tie]) -> str:
    primary = _primary(ties)
    phrase = primary.phrase
    if not primary.is_current and primary.kind not in Relationship.DIRECTED_KINDS:
        phrase = f"formerly {phrase}"
    return _short(phrase, PHRASE_MAX)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _round(value: float) -> float:
    # One decimal keeps the SVG short; adding 0.0 turns -0.0 into 0.0.
    return round(value, 1) + 0.0


def _text_width(text: str, size: float, bold: bool = False) -> float:
    return len(text) * size * (CHAR_WIDTH + (0.05 if bold else 0))


def _ring(people: list[Related], names: Box, hub: Box) -> tuple[bool, int, tuple[Labels, ...]]:
    """(radial labels?, ring radius, the level labels of each node). Level labels read best,
    so the smallest ring on which every node's labels find a clear place is chosen; when none
    up to RING_MAX_LEVEL does, the labels follow their spokes."""
    count = len(people)
    for ring in range(RING_MIN, RING_MAX_LEVEL + 1, RING_STEP):
        placed = _place_level_labels(people, names, hub, ring)
        if placed is not None:
            return False, ring, placed
    # Rotated labels need only their line height along the ring, and so do the nodes; the
    # ring also clears the centre's circle and name, which are not rotated.
    along_ring = count * RADIAL_SPACING / (2 * math.pi)
    clear_of_centre = max(math.hypot(hub[0], hub[1]), math.hypot(hub[2], hub[3]))
    return True, math.ceil(max(RING_MIN, along_ring, clear_of_centre + NODE_RADIUS + MIN_SPOKE)), ()


def _place_level_labels(
    people: list[Related], names: Box, hub: Box, ring: int
) -> tuple[Labels, ...] | None:
    """Each node's labels at the first of its places (see `_level_places`) that covers no
    line, circle or label placed before it; None if some node has no such place."""
    count = len(people)
    centres = [
        (ring * math.cos(_angle(i, count)), ring * math.sin(_angle(i, count))) for i in range(count)
    ]
    circles = [_circle_box(0, 0, CENTRE_RADIUS), hub]
    circles += [_circle_box(x, y, NODE_RADIUS + 2) for x, y in centres]
    segments = []
    for index, (_, rels, _) in enumerate(people):
        angle = _angle(index, count)
        segments += _spoke_segments(len(rels), angle, ring, names)
    # A line cut short by the centre's name would hide its kind: the ring grows instead.
    if any(math.dist(start, end) < MIN_SPOKE + NODE_RADIUS for start, end, _ in segments):
        return None
    placed: list[Labels] = []
    taken: list[Box] = []
    for index, (other, _, ties) in enumerate(people):
        x, y = centres[index]
        angle = _angle(index, count)
        for labels in _level_places(_short(other.name, NAME_MAX), _phrase(ties), angle, x, y):
            box = _union(*map(_label_box, labels))
            clear = not any(_overlap(box, other_box) for other_box in taken)
            clear = clear and not any(_overlap(box, circle) for circle in circles)
            clear = clear and not any(_crosses(box, segment) for segment in segments)
            if clear:
                placed.append(labels)
                taken.append(box)
                break
        else:
            return None
    return tuple(placed)


def _name_lines(name: str, limit: int = NAME_LINE) -> tuple[str, ...]:
    """A name longer than `limit` on two lines, split at the space nearest its middle."""
    if len(name) <= limit or " " not in name:
        return (name,)
    spaces = [i for i, char in enumerate(name) if char == " "]
    split = min(spaces, key=lambda i: abs(len(name) / 2 - i))
    return (name[:split], name[split + 1 :])


def _level_places(
    name: str, phrase: str, angle: float, x: float, y: float
) -> tuple[Labels, Labels, Labels]:
    """The places a node's labels may go, best first: centred under or over the node (the
    side away from the centre first), then beside it on the outer side."""
    lines = _name_lines(name)
    sin, cos = math.sin(angle), math.cos(angle)
    reach = NODE_RADIUS + LABEL_GAP
    # From the top of the first line to the foot of the phrase's descenders (see _label_box).
    block = len(lines) * LINE_HEIGHT + 2 + PHRASE_SIZE * 1.3

    def stacked(top: float, anchor: str, lx: float) -> Labels:
        labels, baseline = [], top
        for line in lines:
            baseline += NAME_SIZE
            labels.append(_name(line, _round(lx), _round(baseline), anchor))
            baseline += LINE_HEIGHT - NAME_SIZE
        labels.append(_phrase_line(phrase, _round(lx), _round(baseline + PHRASE_SIZE + 2), anchor))
        return tuple(labels)

    below = stacked(y + reach - 2, "middle", x)
    above = stacked(y - reach - block, "middle", x)
    side = 1 if cos >= 0 else -1
    beside = stacked(y - block / 2, "start" if side > 0 else "end", x + side * reach)
    return (above, below, beside) if sin < -1e-9 else (below, above, beside)


def _radial_labels(name: str, phrase: str, angle: float, x: float, y: float) -> Labels:
    """The name and phrase of a node at (x, y), turned to follow its spoke outward."""
    cos, sin = math.cos(angle), math.sin(angle)
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


def _centre_labels(name: str) -> Labels:
    """The centre person's name under their circle, on two lines when long."""
    labels, baseline = [], CENTRE_RADIUS + LABEL_GAP
    for line in _name_lines(name, CENTRE_LINE):
        baseline += CENTRE_SIZE
        labels.append(
            Label(
                line, 0, baseline, "middle", CENTRE_SIZE, INK, "relationship-map__person", bold=True
            )
        )
        baseline += LINE_HEIGHT + 2 - CENTRE_SIZE
    return tuple(labels)


def _name(text: str, x: float, y: float, anchor: str, transform: str = "") -> Label:
    return Label(text, x, y, anchor, NAME_SIZE, LINK, "relationship-map__name", transform)


def _phrase_line(text: str, x: float, y: float, anchor: str, transform: str = "") -> Label:
    return Label(text, x, y, anchor, PHRASE_SIZE, MUTED, "relationship-map__phrase", transform)


def _label_box(label: Label) -> Box:
    """(left, top, right, bottom) of an unrotated label, from its estimated width."""
    size = label.size
    width = _text_width(label.text, size, label.bold)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return (left, label.y - size, left + width, label.y + size * 0.3)


def _inflate(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _crosses(box: Box, segment: Segment) -> bool:
    """Whether the line `segment` ((x0, y0), (x1, y1), width) passes through `box`, with
    LINE_CLEARANCE to spare (Liang–Barsky clipping of the segment to the box)."""
    (x0, y0), (x1, y1), width = segment
    left, top, right, bottom = _inflate(box, width / 2 + LINE_CLEARANCE)
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _leave_box(x0: float, y0: float, dx: float, dy: float, box: Box) -> float:
    """Where the ray from (x0, y0) heading (dx, dy) leaves `box`, as the t of the point
    (x0 + t dx, y0 + t dy); 0 if the ray never passes through it."""
    low, high = 0.0, math.inf
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return 0.0
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    return high if low <= high else 0.0


def _circle_box(x: float, y: float, radius: float) -> Box:
    return (x - radius, y - radius, x + radius, y + radius)


def _union(*boxes: Box) -> Box:
    """The (left, top, right, bottom) box around all of `boxes`."""
    lefts, tops, rights, bottoms = zip(*boxes, strict=True)
    return (min(lefts), min(tops), max(rights), max(bottoms))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _spoke_offsets(count: int) -> list[float]:
    """How far each of a pair's `count` lines sits beside the spoke, side by side."""
    gap = min(PARALLEL_GAP, 2 * (NODE_RADIUS - 2) / max(count - 1, 1))
    return [(index - (count - 1) / 2) * gap for index in range(count)]


def _spoke(shift: float, angle: float, ring: float, names: Box) -> tuple[Point, Point]:
    """The line `shift` beside the spoke at `angle`: from where it leaves the centre's circle,
    or the centre's name (`names`) if it passes through it, to the node."""
    cos, sin = math.cos(angle), math.sin(angle)
    dx, dy = -sin * shift, cos * shift
    t = max(CENTRE_RADIUS + HUB_PADDING, _leave_box(dx, dy, cos, sin, names))
    return (dx + t * cos, dy + t * sin), (ring * cos + dx, ring * sin + dy)


def _spoke_segments(count: int, angle: float, ring: float, names: Box) -> list[Segment]:
    return [(*_spoke(shift, angle, ring, names), CURRENT_WIDTH) for shift in _spoke_offsets(count)]


def _edges(
    person: Person,
    other: Person,
    rels: list[Relationship],
    ties: tuple[Tie, ...],
    angle: float,
    ring: float,
    names: Box,
) -> list[Edge]:
    """One line per relationship, side by side when the pair has several."""
    edges = []
    offsets = _spoke_offsets(len(rels))
    for rel, tie, shift in zip(rels, ties, offsets, strict=True):
        start, end = _spoke(shift, angle, ring, names)
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        points = [start, middle, end]
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


def _bounds(nodes: Iterable[Node], hub: Box, radial: bool) -> Box:
    boxes = [hub]
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


def _legend(
    edges: Sequence[Edge], min_x: float, max_x: float, top: float
) -> tuple[tuple[LegendEntry, ...], float]:
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
