# The version tables of people and stories are made by django-simple-history from the models
# that declare `HistoricalRecords(app="history")`; this app adds no model of its own.
