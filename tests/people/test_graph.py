import datetime
import itertools
import math
import random
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from people import graph
from people.graph import relationship_map
from people.models import Relationship

SVG = "{http://www.w3.org/2000/svg}"
INCLUDE = "people/includes/relationship_map.html"
Kind = Relationship.Kind


def relate(a, kind, b, started_on=None, ended_on=None, end_reason="", **fields):
    return Relationship.objects.create(
        person_a=a,
        kind=kind,
        person_b=b,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=end_reason,
        **fields,
    )


def involving(person):
    return list(Relationship.objects.involving(person))


def render(person):
    return render_to_string(INCLUDE, {"map": relationship_map(person, involving(person))})


def parse(svg):
    return ET.fromstring(svg)


def text_of(element):
    return "".join(element.itertext())


def links(root):
    return root.findall(f".//{SVG}a")


def link_title(link):
    return link.find(f"{SVG}title").text


def legend_labels(root):
    legend = root.find(f".//{SVG}g[@class='relationship-map__legend']")
    return [text.text for text in legend.findall(f"{SVG}text")]


def edges(root):
    return root.findall(f".//{SVG}g[@class='relationship-map__edges']/{SVG}path")


def path_points(d):
    numbers = [float(n) for n in d.replace("M", " ").replace("L", " ").split()]
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


@pytest.fixture
def kim(make_person):
    """Kim Kardashian: Kanye West dated, engaged and married her, all over now; four children."""
    kim = make_person("Kim Kardashian")
    kanye = make_person("Kanye West")
    relate(
        kim,
        Kind.DATING,
        kanye,
        datetime.date(2012, 4, 1),
        datetime.date(2013, 10, 21),
        Relationship.EndReason.ENGAGEMENT,
        started_precision="month",
    )
    relate(
        kim,
        Kind.ENGAGED,
        kanye,
        datetime.date(2013, 10, 21),
        datetime.date(2014, 5, 24),
        Relationship.EndReason.MARRIAGE,
    )
    relate(
        kim,
        Kind.MARRIED,
        kanye,
        datetime.date(2014, 5, 24),
        datetime.date(2022, 3, 2),
        Relationship.EndReason.DIVORCE,
    )
    for name, born in [
        ("North West", datetime.date(2013, 6, 15)),
        ("Saint West", datetime.date(2015, 12, 5)),
        ("Chicago West", datetime.date(2018, 1, 15)),
        ("Psalm West", datetime.date(2019, 5, 9)),
    ]:
        relate(kim, Kind.PARENT, make_person(name, born_on=born), born)
    return kim


@pytest.fixture
def ring_of(make_person):
    """A person with `count` friends, for the layout tests."""

    def make(count, name="Friend Number"):
        centre = make_person("Centre Person")
        for index in range(count):
            relate(centre, Kind.FRIENDS, make_person(f"{name} {index:02}"))
        return centre

    return make


def test_building_and_rendering_runs_no_queries(kim, django_assert_num_queries):
    relationships = involving(kim)
    with django_assert_num_queries(0):
        svg = render_to_string(INCLUDE, {"map": relationship_map(kim, relationships)})
    assert len(links(parse(svg))) == 5


def test_svg_is_well_formed_and_labelled(kim):
    root = parse(render(kim))
    assert root.tag == f"{SVG}svg"
    # Drawn at its own size (the stylesheet only ever shrinks it to fit its column).
    left, top, width, height = root.get("viewBox").split()
    assert (root.get("width"), root.get("height")) == (width, height)
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"{SVG}title[@id='{title_id}']").text == "Relationship map of Kim Kardashian"
    desc = root.find(f"{SVG}desc[@id='{desc_id}']").text
    assert "linked to 5 people by 7 relationships, 3 of them ended" in desc


def test_svg_carries_no_script_styles_or_outside_resources(kim):
    root = parse(render(kim))
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}image")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        if "href" in element.attrib:
            assert element.get("href").startswith("/people/")


def test_every_other_person_is_a_link_to_their_page(kim):
    root = parse(render(kim))
    hrefs = {link.get("href"): text_of(link) for link in links(root)}
    assert set(hrefs) == {
        "/people/kanye-west/",
        "/people/north-west/",
        "/people/saint-west/",
        "/people/chicago-west/",
        "/people/psalm-west/",
    }
    assert "Chicago West" in hrefs["/people/chicago-west/"]


def test_centre_person_is_drawn_and_is_not_a_link(kim):
    root = parse(render(kim))
    centre = root.find(f".//{SVG}g[@class='relationship-map__centre']")
    # A long name is set on two lines.
    assert [text.text for text in centre.findall(f"{SVG}text")] == ["Kim", "Kardashian"]
    assert all("Kardashian" not in text_of(link) for link in links(root))


def test_one_node_per_person_however_many_relationships(kim):
    root = parse(render(kim))
    kanye = [link for link in links(root) if link.get("href") == "/people/kanye-west/"]
    assert len(kanye) == 1
    assert link_title(kanye[0]) == (
        "Kanye West — dating (April 2012 – 21 October 2013), "
        "engaged to (21 October 2013 – 24 May 2014), "
        "married to (24 May 2014 – 2 March 2022)"
    )
    kanye_edges = [edge for edge in edges(root) if "Kanye West" in text_of(edge)]
    assert len(kanye_edges) == 3
    assert len({edge.get("d") for edge in kanye_edges}) == 3, "side by side, not on top"


def test_legend_shows_only_the_kinds_present(kim):
    labels = legend_labels(parse(render(kim)))
    assert {"Married", "Engaged", "Dating", "Parent and child (arrow to child)"} <= set(labels)
    for absent in ("Siblings", "Co-parents", "Friends", "Collaborators", "Feud"):
        assert absent not in labels


def test_parent_and_child_read_from_each_side(kim, django_assert_num_queries):
    north = next(rel.person_b for rel in involving(kim) if rel.person_b.name == "North West")

    kim_map = relationship_map(kim, involving(kim))
    north_node = next(node for node in kim_map.nodes if node.name == "North West")
    assert north_node.title == "North West — parent of (since 15 June 2013)"
    assert north_node.phrase_label.text == "parent of"

    north_map = relationship_map(north, involving(north))
    (kim_node,) = north_map.nodes
    assert kim_node.title == "Kim Kardashian — child of (since 15 June 2013)"
    assert kim_node.phrase_label.text == "child of"

    # The arrow sits mid-line pointing along the path, so the path runs parent to child.
    (to_north,) = [e for e in kim_map.edges if e.title.endswith("North West (since 15 June 2013)")]
    start, end = path_points(to_north.d)[0], path_points(to_north.d)[-1]
    # Lines start where they leave the centre's circle and name, and end at the node.
    assert graph.CENTRE_RADIUS <= math.dist(start, (0, 0)) < graph.CENTRE_RADIUS + 80
    assert math.dist(end, (north_node.x, north_node.y)) < graph.NODE_RADIUS
    (to_kim,) = north_map.edges
    start, end = path_points(to_kim.d)[0], path_points(to_kim.d)[-1]
    assert math.dist(start, (kim_node.x, kim_node.y)) < graph.NODE_RADIUS
    assert graph.CENTRE_RADIUS <= math.dist(end, (0, 0)) < graph.CENTRE_RADIUS + 80
    assert to_kim.marker == "arrow"


def test_ended_relationships_look_different_from_current_ones(kim):
    root = parse(render(kim))
    ended = [edge for edge in edges(root) if "relationship-map__edge--ended" in edge.get("class")]
    current = [e for e in edges(root) if "relationship-map__edge--current" in e.get("class")]
    assert len(ended) == 3 and len(current) == 4
    assert all("Kanye West" in text_of(edge) for edge in ended)
    assert {edge.get("stroke-width") for edge in ended}.isdisjoint(
        {edge.get("stroke-width") for edge in current}
    )
    assert all(float(edge.get("stroke-opacity")) < 1 for edge in ended)
    assert all(edge.get("stroke-opacity") is None for edge in current)
    assert {"Current: thick line", "Ended: thin, faded line"} <= set(legend_labels(root))
    kanye = next(link for link in links(root) if link.get("href") == "/people/kanye-west/")
    assert "relationship-map__node--ended" in kanye.get("class")
    assert "formerly married to" in text_of(kanye)


def test_legend_leaves_out_ended_when_nothing_has_ended(make_person):
    a, b = make_person("Ann Able"), make_person("Bea Baker")
    relate(a, Kind.SIBLING, b)
    labels = legend_labels(parse(render(a)))
    assert labels == ["Key", "Siblings", "Current: thick line"]


def test_kinds_differ_by_more_than_colour():
    for one, other in itertools.combinations(Kind.values, 2):
        a, b = graph.LINE_STYLES[one], graph.LINE_STYLES[other]
        assert (a.dasharray, a.marker) != (b.dasharray, b.marker), (one, other)
    assert graph.CURRENT_WIDTH >= 1.5 * graph.ENDED_WIDTH


def contrast(foreground, background=graph.PAPER):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def faded(colour, opacity, background=graph.PAPER):
    channels = [
        round(opacity * int(colour[i : i + 2], 16) + (1 - opacity) * int(background[i : i + 2], 16))
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)


def test_colours_meet_wcag_contrast_on_the_paper():
    for text_colour in (graph.INK, graph.MUTED, graph.LINK):
        assert contrast(text_colour) >= 4.5, text_colour
    assert contrast(graph.LINK, "#ffffff") >= 4.5
    for kind, style in graph.LINE_STYLES.items():
        # Lines are graphics: 3:1, even faded for an ended relationship.
        assert contrast(faded(style.colour, graph.ENDED_OPACITY)) >= 3, kind


@pytest.mark.parametrize("count", [1, 3, 8, 30, 45])
def test_nodes_never_overlap_and_fit_the_view(ring_of, count):
    centre = ring_of(count)
    svg_map = relationship_map(centre, involving(centre))
    positions = [(node.x, node.y) for node in svg_map.nodes]
    assert len(set(positions)) == count
    for a, b in itertools.combinations([(0.0, 0.0), *positions], 2):
        assert math.dist(a, b) > 2 * graph.NODE_RADIUS + 4
    left, top, width, height = (float(n) for n in svg_map.view_box.split())
    for x, y in positions:
        assert left + graph.NODE_RADIUS <= x <= left + width - graph.NODE_RADIUS
        assert top + graph.NODE_RADIUS <= y <= top + height - graph.NODE_RADIUS


def label_box(label):
    width = len(label.text) * label.size * 0.6
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return (left, label.y - label.size, left + width, label.y + label.size * 0.3)


def union(boxes):
    lefts, tops, rights, bottoms = zip(*boxes, strict=True)
    return (min(lefts), min(tops), max(rights), max(bottoms))


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def line_meets_box(points, width, box):
    """Whether a polyline drawn `width` wide touches `box`: points every half unit along it."""
    left, top, right, bottom = box
    reach = width / 2
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        steps = max(1, int(math.dist((x0, y0), (x1, y1)) * 2))
        for step in range(steps + 1):
            x, y = x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps
            if left - reach < x < right + reach and top - reach < y < bottom + reach:
                return True
    return False


def lines_under_labels(svg_map):
    """(label, line) pairs where a line of the map runs under a label."""
    labels = list(svg_map.centre_labels) + [
        label for node in svg_map.nodes for label in node.labels if not label.transform
    ]
    return [
        (label.text, edge.title)
        for label in labels
        for edge in svg_map.edges
        if line_meets_box(path_points(edge.d), edge.width, label_box(label))
    ]


@pytest.mark.parametrize("name", ["Ann", "Friend Number", "Maximiliana Wolfeschlegel"])
@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 8])
def test_few_people_get_level_labels_that_do_not_touch(ring_of, count, name):
    centre = ring_of(count, name)
    svg_map = relationship_map(centre, involving(centre))
    assert not any(label.transform for node in svg_map.nodes for label in node.labels)
    # A node's lines sit together; they must clear every other node, label and circle.
    boxes = [("centre", union([label_box(label) for label in svg_map.centre_labels]))]
    radius = graph.NODE_RADIUS
    for node in svg_map.nodes:
        boxes.append((node.name, union([label_box(label) for label in node.labels])))
        boxes.append(
            (node.name, (node.x - radius, node.y - radius, node.x + radius, node.y + radius))
        )
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert a == b or not overlap(box_a, box_b), (a, b)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 8, 12, 30])
def test_no_line_runs_under_a_label(ring_of, count):
    centre = ring_of(count)
    assert lines_under_labels(relationship_map(centre, involving(centre))) == []


def test_no_line_runs_under_a_label_in_a_family(kim):
    # Straight down from the centre, once under the centre's name: lines now stop at it.
    assert lines_under_labels(relationship_map(kim, involving(kim))) == []


def smallest_text_on_a_phone(svg_map):
    """The size in CSS pixels of the map's smallest text in a phone's 358-pixel column (390
    less the margins): the map is drawn one unit a pixel, and shrinks to fit the column."""
    return min(graph.PHRASE_SIZE, graph.LEGEND_SIZE) * min(1, 358 / svg_map.width)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("name", ["Ann", "Friend Number"])
def test_a_small_family_reads_on_a_phone(ring_of, count, name):
    centre = ring_of(count, name)
    svg_map = relationship_map(centre, involving(centre))
    assert smallest_text_on_a_phone(svg_map) >= 11, svg_map.width


def test_kims_family_reads_on_a_phone(kim):
    assert smallest_text_on_a_phone(relationship_map(kim, involving(kim))) >= 11


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_every_line_shows_beyond_the_centres_name(ring_of, count):
    # A line cut short where it leaves the centre's name would hide its dashes and arrow.
    centre = ring_of(count, "Friend Number")
    for edge in relationship_map(centre, involving(centre)).edges:
        start, end = path_points(edge.d)[0], path_points(edge.d)[-1]
        assert math.dist(start, end) >= graph.MIN_SPOKE + graph.NODE_RADIUS, edge.title


def test_many_people_get_labels_along_their_spokes_with_room_between(ring_of):
    centre = ring_of(30)
    svg_map = relationship_map(centre, involving(centre))
    assert all(node.name_label.transform.startswith("rotate(") for node in svg_map.nodes)
    ring = math.hypot(svg_map.nodes[0].x, svg_map.nodes[0].y)
    # Rotated two-line labels need their height between neighbours where they start.
    assert 2 * math.pi * ring / 30 >= 2 * graph.NAME_SIZE
    assert parse(render_to_string(INCLUDE, {"map": svg_map})).tag == f"{SVG}svg"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", '"><svg onload=alert(1)>'])
def test_hostile_names_are_written_as_text(make_person, hostile):
    centre = make_person(hostile, slug="centre")
    other = make_person(f"{hostile} & co", slug="other")
    relate(centre, Kind.FEUD, other)
    svg = render(centre)
    assert "<script" not in svg
    assert "<svg onload" not in svg
    root = parse(svg)
    assert len(root.findall(f".//{SVG}svg")) == 0
    assert root.find(f"{SVG}title").text == f"Relationship map of {hostile}"
    centre_texts = root.findall(f".//{SVG}g[@class='relationship-map__centre']/{SVG}text")
    assert " ".join(text.text for text in centre_texts) == graph._short(hostile, graph.NAME_MAX)
    (link,) = links(root)
    assert link_title(link) == f"{hostile} & co — feuding with"
    assert link.get("href") == "/people/other/"


def test_long_names_are_shortened_on_the_map_but_whole_in_the_title(make_person):
    centre = make_person("Kim Kardashian")
    other = make_person("Kimberly Noel Kardashian West Junior")
    relate(centre, Kind.SIBLING, other)
    (node,) = relationship_map(centre, involving(centre)).nodes
    name_lines = [label.text for label in node.labels[:-1]]
    assert name_lines == ["Kimberly Noel", "Kardash…"]
    assert len(" ".join(name_lines)) <= graph.NAME_MAX
    assert node.title.startswith("Kimberly Noel Kardashian West Junior — ")


def test_no_relationships_draws_nothing(make_person, django_assert_num_queries):
    loner = make_person("Lone Person")
    with django_assert_num_queries(0):
        svg_map = relationship_map(loner, [])
        svg = render_to_string(INCLUDE, {"map": svg_map})
    assert svg_map.nodes == () and svg_map.edges == () and svg_map.legend == ()
    assert svg.strip() == ""


def test_same_relationships_give_the_same_map_in_any_order(kim):
    relationships = involving(kim)
    first = relationship_map(kim, relationships)
    shuffled = relationships[::-1]
    random.Random(4).shuffle(shuffled)
    second = relationship_map(kim, shuffled)
    assert first == second
    assert render_to_string(INCLUDE, {"map": first}) == render_to_string(INCLUDE, {"map": second})
    assert first.nodes[0].name == "Kanye West", "the spouse comes first, children together"


def test_relationship_not_involving_the_person_is_refused(kim, make_person):
    stranger = make_person("Someone Else")
    with pytest.raises(ValueError):
        relationship_map(stranger, involving(kim))


def test_current_and_open_ended_spans_read_naturally(make_person):
    a, b, c = make_person("Ann Able"), make_person("Bea Baker"), make_person("Cy Cole")
    relate(a, Kind.COLLABORATORS, b, datetime.date(2020, 1, 1), started_precision="year")
    relate(a, Kind.FRIENDS, c, end_reason=Relationship.EndReason.ESTRANGEMENT)
    titles = {node.name: node.title for node in relationship_map(a, involving(a)).nodes}
    assert titles == {
        "Bea Baker": "Bea Baker — collaborator of (since 2020)",
        "Cy Cole": "Cy Cole — friends with (ended)",
    }
