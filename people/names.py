"""Find the people a text names, by their name or an alias no one else shares.

Ambiguous aliases (“Chicago”, a child's name and a city) and names shared by two people are
never taken on their own. Matching is case-sensitive and whole-word: “Kanye’s” names Kanye
West, “Yeezy” names him too, “yesterday” does not name Ye.
"""

import re
from collections import defaultdict
from collections.abc import Iterable


class NameFinder:
    def __init__(self, names: Iterable[tuple[str, int]], blocked: Iterable[str] = ()):
        """`names`: (name, person id) pairs. A name given for two people, or blocked (an
        ambiguous alias), names no one."""
        owners = defaultdict(set)
        for name, person_id in names:
            owners[" ".join(name.split())].add(person_id)
        blocked = {" ".join(name.split()) for name in blocked}
        self.person_by_name = {
            name: ids.pop()
            for name, ids in owners.items()
            if name and len(ids) == 1 and name not in blocked
        }
        # Longest first, so “Kim Kardashian” wins over “Kim” at the same place.
        alternatives = sorted(self.person_by_name, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in alternatives) + r")(?!\w)")
            if alternatives
            else None
        )

    @classmethod
    def from_database(cls):
        from .models import Alias, Person

        names = list(Person.objects.values_list("name", "id"))
        names += Alias.objects.filter(is_ambiguous=False).values_list("name", "person_id")
        ambiguous = Alias.objects.filter(is_ambiguous=True).values_list("name", flat=True)
        return cls(names, blocked=ambiguous)

    def find(self, text: str) -> dict[int, int]:
        """Person id → offset of the first place the text names them, in order of appearance."""
        found = {}
        if self.pattern is None:
            return found
        for match in self.pattern.finditer(text):
            found.setdefault(self.person_by_name[match.group()], match.start())
        return found
