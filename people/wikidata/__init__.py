"""People and relationships from Wikidata (`manage.py import_wikidata`), in three parts:

- `entities`: Wikidata's JSON in, plain facts out (names, dates with their precision, ties
  between people with the statements that state them). No request, no database.
- `api`: asking Wikidata's `wbgetentities` politely (User-Agent, batches of 50, `maxlag`,
  retries that honour `Retry-After`), and nothing else.
- `importer`: the facts into the archive, in one transaction — blanks filled, differences
  proposed to editors (`Proposal`), never written over what an editor entered.
"""
