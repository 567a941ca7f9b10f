"""Code that serves both the people and the articles apps and belongs to neither: paging,
full-text helpers, citations, JSON-LD, time stamps, fetching addresses from outside."""
