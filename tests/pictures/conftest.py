import pytest

from articles.models import Article
from people.models import Person
from tests.pictures.images import stored_picture


@pytest.fixture
def pictured(demo):
    """The demo data with pictures: Kim Kardashian's portrait and the story's lead picture
    with their renditions, North West's portrait with none made yet (shown from its file);
    Kanye West and the others keep their initials."""
    kim = stored_picture(
        size=(600, 900),
        alt="Kim Kardashian at a premiere",
        credit="© Test Studio",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        focal_y=0.3,
    )
    Person.objects.filter(slug="kim-kardashian").update(portrait=kim)
    north = stored_picture(
        size=(500, 500),
        alt="North West",
        credit="© Family Handout",
        licence="Handout",
        renditions=False,
    )
    Person.objects.filter(slug="north-west").update(portrait=north)
    lead = stored_picture(
        size=(1600, 900),
        alt="Kim Kardashian on the cover of Vogue",
        caption="The March cover.",
        credit="© Cover Photographer / Vogue",
        licence="All rights reserved",
        source_url="https://www.vogue.com/cover",
    )
    Article.objects.update(lead_picture=lead)
    return {"kim": kim, "north": north, "lead": lead}
