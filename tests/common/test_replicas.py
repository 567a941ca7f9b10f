"""The router and the replicas' remembered states, without a replica: where Django sends a
query once a request was given a database, and which replicas are taken as usable. Real
replicas: tests/faults/test_read_replicas.py."""

import pytest
from django.db import router, transaction

from articles.models import Article
from caching.models import Edition
from common import replicas
from common.replicas import ReplicaState, ReplicaStates


@pytest.fixture
def reading_replica():
    token = replicas.reading_from("replica_1")
    yield
    replicas.stop_reading(token)


def test_outside_a_request_everything_goes_to_the_primary():
    assert replicas.current_reading() is None
    assert Article.objects.all().db == "default"


def test_a_request_given_a_replica_reads_it_for_every_model(reading_replica):
    assert Article.objects.all().db == "replica_1"
    assert Edition.objects.filter(pk=1).db == "replica_1"


def test_writes_and_select_for_update_go_to_the_primary(reading_replica):
    assert Article.objects.select_for_update().db == "default"
    assert router.db_for_write(Article) == "default"


def test_after_a_write_the_rest_of_the_request_reads_the_primary(reading_replica):
    assert Article.objects.all().db == "replica_1"
    router.db_for_write(Article)
    assert replicas.current_reading().wrote
    assert Article.objects.all().db == "default"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_of_the_primary_reads_go_to_the_primary(reading_replica):
    assert Article.objects.all().db == "replica_1"
    with transaction.atomic():
        assert Article.objects.all().db == "default"
    assert Article.objects.all().db == "replica_1"


def test_migrations_run_on_the_primary_only():
    router = replicas.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica_1", "articles")


class Scripted:
    """`measure` answering from a script, counting the questions."""

    def __init__(self, **states):
        self.states = states
        self.asked = []

    def __call__(self, alias):
        self.asked.append(alias)
        up, lag = self.states[alias]
        return ReplicaState(up=up, lag=lag, checked_at=replicas.time.monotonic())


@pytest.fixture
def two_replicas(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_CHECK_SECONDS = 3600
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1", "replica_2"])
    states = ReplicaStates()
    monkeypatch.setattr(replicas, "states", states)
    return states


def test_a_replica_down_or_lagging_is_skipped(two_replicas, monkeypatch):
    monkeypatch.setattr(
        replicas, "measure", Scripted(replica_1=(False, None), replica_2=(True, 6.0))
    )
    assert two_replicas.usable() == []
    assert replicas.choose() == "default"

    monkeypatch.setattr(replicas, "measure", Scripted(replica_1=(True, 0.0), replica_2=(True, 6)))
    two_replicas.forget()
    assert two_replicas.usable() == ["replica_1"]
    assert replicas.choose() == "replica_1"


def test_a_replica_is_checked_once_per_period_not_per_query(two_replicas, monkeypatch, settings):
    scripted = Scripted(replica_1=(True, 0.0), replica_2=(True, 1.0))
    monkeypatch.setattr(replicas, "measure", scripted)
    for _ in range(5):
        replicas.choose()
    assert scripted.asked == ["replica_1", "replica_2"]

    settings.REPLICA_CHECK_SECONDS = 0
    replicas.choose()
    assert scripted.asked == ["replica_1", "replica_2"] * 2


def test_a_recheck_replaces_what_was_remembered(two_replicas, monkeypatch):
    monkeypatch.setattr(replicas, "measure", Scripted(replica_1=(True, 0.0), replica_2=(True, 0)))
    assert two_replicas.usable() == ["replica_1", "replica_2"]
    monkeypatch.setattr(replicas, "measure", Scripted(replica_1=(False, None), replica_2=(True, 0)))
    assert not two_replicas.recheck("replica_1").usable()
    assert two_replicas.usable() == ["replica_2"]
