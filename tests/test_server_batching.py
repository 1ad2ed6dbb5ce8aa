"""Server batching (translate/engines/batching.py): concurrent callers' sentences decoded together, each caller
getting exactly its own English and terms, through the engine, TranslatorHost and the HTTP API.

Synchronised with barriers and events only: a worker flushes a group as soon as it is full, so with a long
wait and a batch size equal to the sentences expected, a group forms exactly when every caller has joined.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fakes import FakeEngine

from translate.engines.batching import BatchingEngine, replica_settings
from translate.errors import Cancelled
from translate.host import TranslatorHost
from translate.pipeline import Translator

LONG_WAIT_MS = 60_000  # never reached: every group in these tests fills up first
TIMEOUT = 60


def batching(engine, batch_size: int, **kwargs) -> BatchingEngine:
    return BatchingEngine([engine], batch_size=batch_size, batch_tokens=100_000, wait_ms=LONG_WAIT_MS, **kwargs)


def concurrently(calls):
    """Run the callables together (released by one barrier); their results in order. A call still waiting
    after TIMEOUT fails the test (its daemon thread is left behind rather than hanging the session)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i, call):
        try:
            barrier.wait(TIMEOUT)
            results[i] = call()
        except BaseException as e:  # noqa: BLE001 — raised in the test's thread below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a call was never answered"
    if errors:
        raise errors[0]
    return results


@pytest.mark.parametrize("per_caller", [1, 3])
def test_concurrent_callers_are_decoded_in_one_batch_and_get_their_own_english(per_caller):
    fake = FakeEngine()
    engine = batching(fake, batch_size=4 * per_caller)
    callers = [[f"речення {c}.{i}" for i in range(per_caller)] for c in range(4)]
    results = concurrently([lambda s=s: engine.translate_batch(s) for s in callers])
    assert results == [[f"РЕЧЕННЯ {c}.{i}" for i in range(per_caller)] for c in range(4)]
    assert fake.calls == 1 and sorted(fake.batches[0]) == sorted(s for c in callers for s in c)


def test_forced_prefixes_stay_with_their_own_sentences():
    fake = FakeEngine()
    engine = batching(fake, batch_size=3)
    results = concurrently([
        lambda: engine.translate_batch(["а", "б"], prefixes=["Kyiv ", None]),
        lambda: engine.translate_batch(["в"], prefixes=["Stoltenberg "]),
    ])
    assert results == [["Kyiv А", "Б"], ["Stoltenberg В"]]


def test_a_failing_caller_fails_alone_and_its_batch_mates_get_their_english():
    def refuse(sources):
        if any("погане" in s for s in sources):
            raise ValueError("this sentence cannot be decoded")

    fake = FakeEngine(before_call=refuse)
    engine = batching(fake, batch_size=2)

    def bad():
        with pytest.raises(ValueError, match="cannot be decoded"):
            engine.translate_batch(["погане речення"])
        return "raised"

    assert concurrently([lambda: engine.translate_batch(["добре речення"]), bad]) == [["ДОБРЕ РЕЧЕННЯ"], "raised"]


def test_a_re_decode_waiting_between_first_decodes_does_not_split_their_group():
    """A first decode holds the worker; then a plain call, a re-decode with repetition constraints and another
    plain call queue in that order. The two plain calls are decoded together, the re-decode next."""
    from translate.engines.base import Repetition

    decoding, release = threading.Event(), threading.Event()
    queued: list[threading.Event] = [threading.Event() for _ in range(4)]

    def hold_the_first(sources):
        if sources == ["перше"]:
            decoding.set()
            release.wait(TIMEOUT)

    fake = FakeEngine(before_call=hold_the_first)
    engine = BatchingEngine([fake], batch_size=2, batch_tokens=100_000, wait_ms=0,
                            on_queued=lambda depth: queued[depth].set())
    constraints = Repetition(no_repeat_ngram_size=3, penalty=1.2)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(engine.translate_batch, ["перше"])
        assert decoding.wait(TIMEOUT)
        plain_a = pool.submit(engine.translate_batch, ["а"])
        assert queued[1].wait(TIMEOUT)
        again = pool.submit(engine.translate_batch, ["повтор"], repetition=constraints)
        assert queued[2].wait(TIMEOUT)
        plain_b = pool.submit(engine.translate_batch, ["б"])
        assert queued[3].wait(TIMEOUT)
        release.set()
        results = [f.result(TIMEOUT) for f in (first, plain_a, again, plain_b)]
    assert results == [["ПЕРШЕ"], ["А"], ["ПОВТОР"], ["Б"]]
    assert fake.batches == [["перше"], ["а", "б"], ["повтор"]]
    assert fake.options_seen[1:] == [{}, {"repetition": constraints}]


NEVER_MS = 600_000  # a wait no test outlives: a group that waited for it fails the test's TIMEOUT instead


def test_a_lone_request_in_flight_is_decoded_at_once_without_the_wait():
    fake = FakeEngine()
    engine = BatchingEngine([fake], batch_size=16, batch_tokens=100_000, wait_ms=NEVER_MS)
    with engine.in_flight(), ThreadPoolExecutor(1) as pool:
        assert pool.submit(engine.translate_batch, ["одне"]).result(TIMEOUT) == ["ОДНЕ"]


def test_the_worker_waits_for_a_request_in_flight_and_decodes_both_together():
    queued = threading.Event()
    fake = FakeEngine()
    engine = BatchingEngine([fake], batch_size=16, batch_tokens=100_000, wait_ms=NEVER_MS,
                            on_queued=lambda depth: queued.set())
    with engine.in_flight(), engine.in_flight(), ThreadPoolExecutor(2) as pool:
        first = pool.submit(engine.translate_batch, ["перший"])
        assert queued.wait(TIMEOUT)  # the first call waits for the other request, which is still busy
        second = pool.submit(engine.translate_batch, ["другий"])
        assert [first.result(TIMEOUT), second.result(TIMEOUT)] == [["ПЕРШИЙ"], ["ДРУГИЙ"]]
    assert fake.batches == [["перший", "другий"]]


def test_a_request_that_ends_without_another_call_stops_the_wait():
    queued = threading.Event()
    fake = FakeEngine()
    engine = BatchingEngine([fake], batch_size=16, batch_tokens=100_000, wait_ms=NEVER_MS,
                            on_queued=lambda depth: queued.set())
    with engine.in_flight(), ThreadPoolExecutor(1) as pool:
        with engine.in_flight():  # another request, which ends (its answer came from the cache)
            call = pool.submit(engine.translate_batch, ["одне"])
            assert queued.wait(TIMEOUT)
        assert call.result(TIMEOUT) == ["ОДНЕ"]
    assert fake.batches == [["одне"]]


def test_two_workers_serve_requests_of_decodes_and_re_decodes_each_exactly_once():
    """Twelve requests, each a first decode and two re-decodes with other options, over two replicas that take
    calls from one queue while the other is collecting: every call answered once, with its own English."""
    from translate.engines.base import Repetition

    replicas = [FakeEngine(), FakeEngine()]
    engine = BatchingEngine(replicas, batch_size=8, batch_tokens=100_000, wait_ms=NEVER_MS)
    steps = (None, Repetition(no_repeat_ngram_size=3, penalty=1.2), Repetition(no_repeat_ngram_size=2, penalty=1.5))

    def request(n: int) -> list[list[str]]:
        with engine.in_flight():
            return [engine.translate_batch([f"речення {n}.{i}"], **({"repetition": r} if r else {}))
                    for i, r in enumerate(steps)]

    results = concurrently([lambda n=n: request(n) for n in range(12)])
    assert results == [[[f"РЕЧЕННЯ {n}.{i}"] for i in range(3)] for n in range(12)]
    decoded = sorted(s for r in replicas for batch in r.batches for s in batch)
    assert decoded == sorted(f"речення {n}.{i}" for n in range(12) for i in range(3))


def test_two_workers_decode_two_groups_at_the_same_time():
    both_inside = threading.Barrier(2)  # broken (an error for the caller) unless both replicas decode at once
    replicas = [FakeEngine(before_call=lambda s: both_inside.wait(TIMEOUT)) for _ in range(2)]
    engine = BatchingEngine(replicas, batch_size=1, batch_tokens=100_000, wait_ms=LONG_WAIT_MS)
    assert concurrently([lambda: engine.translate_batch(["один"]), lambda: engine.translate_batch(["два"])]) == [
        ["ОДИН"], ["ДВА"]]
    assert [r.calls for r in replicas] == [1, 1]
    assert engine.info()["workers"] == "2"


@pytest.mark.parametrize("workers, cores, gpus, threads, expected", [
    (1, 2, 0, 0, [("auto", 2)]),
    (2, 2, 0, 0, [("auto", 1), ("auto", 1)]),
    (3, 8, 0, 0, [("auto", 2)] * 3),
    (4, 2, 0, 0, [("auto", 1)] * 4),
    (2, 8, 0, 3, [("auto", 3)] * 2),  # threads set explicitly: each replica has them
    (3, 16, 2, 0, [("cuda:0", 0), ("cuda:1", 0), ("cuda:0", 0)]),
])
def test_replicas_share_out_the_cores_or_take_a_gpu_each(workers, cores, gpus, threads, expected):
    from translate.config import load_settings

    settings = load_settings(None, environment=False, threads=threads)
    assert [(s.device, s.threads) for s in replica_settings(settings, workers, cores, gpus)] == expected


# -- through TranslatorHost ----------------------------------------------------------------------------------

def host_on(engine, **kwargs) -> TranslatorHost:
    return TranslatorHost(Translator(engine=engine, glossary=None), **kwargs)


def test_concurrent_host_calls_reach_the_queue_together():
    fake = FakeEngine()
    host = host_on(batching(fake, batch_size=4))
    texts = ["Перша новина.", "Друга новина.", "Третя новина.", "Четверта новина."]
    results = concurrently([lambda t=t: host.translate([t])[0].text for t in texts])
    assert results == ["ПЕРША НОВИНА.", "ДРУГА НОВИНА.", "ТРЕТЯ НОВИНА.", "ЧЕТВЕРТА НОВИНА."]
    assert fake.calls == 1 and sorted(fake.batches[0]) == sorted(texts)


def test_per_request_glossaries_stay_with_their_request(tiny_engine):
    """The same sentence, three callers, three glossaries (one none): each English has its own term only, and
    a request's English and terms are what the unbatched server gives it."""
    fake = FakeEngine(wraps=tiny_engine)
    host = host_on(BatchingEngine([fake], batch_size=16, batch_tokens=2048, wait_ms=20))
    text = "Столтенберг прибув до Скоп'є."
    glossaries = [[("Столтенберг", "Stoltenberg")], [("Столтенберг", "Stoltenbergas")], []]
    results = concurrently([lambda g=g: host.translate([text], g)[0] for g in glossaries])
    first, second, none = results
    assert "Stoltenberg" in first.text and "Stoltenbergas" not in first.text
    assert "Stoltenbergas" in second.text
    assert "Stoltenbergas" not in none.text and all(t.target != "Stoltenbergas" for t in none.terms)
    assert [(t.target, t.applied) for t in first.terms if t.surface == "Столтенберг"] == [("Stoltenberg", True)]
    assert [(t.target, t.applied) for t in second.terms if t.surface == "Столтенберг"] == [("Stoltenbergas", True)]
    alone = TranslatorHost(Translator(engine=tiny_engine, glossary=None)).translate([text], glossaries[1])[0]
    assert second == alone  # as the unbatched server translates it, terms report included


def test_a_small_request_is_served_between_the_turns_of_a_big_one():
    small_queued = threading.Event()
    first_turn = threading.Event()

    def hold_first_turn(sources):
        if not first_turn.is_set():
            first_turn.set()
            assert small_queued.wait(TIMEOUT)

    fake = FakeEngine(before_call=hold_first_turn)
    engine = batching(fake, batch_size=4, on_queued=lambda depth: first_turn.is_set() and small_queued.set())
    host = host_on(engine, chunk_sentences=4)
    big = " ".join(f"Речення номер {n}." for n in range(12))
    with ThreadPoolExecutor(2) as pool:
        big_result = pool.submit(host.translate, [big])
        assert first_turn.wait(TIMEOUT)
        small_result = pool.submit(host.translate, ["Коротка новина."])
        assert small_result.result(TIMEOUT)[0].text == "КОРОТКА НОВИНА."
        assert big_result.result(TIMEOUT)[0].text == big.upper()
    assert [len(b) for b in fake.batches] == [4, 1, 4, 4]
    assert fake.batches[1] == ["Коротка новина."]


def test_a_cancelled_call_stops_at_its_next_turn_while_others_go_on():
    cancel = threading.Event()
    fake = FakeEngine(after_call=lambda sources: cancel.set())
    host = host_on(batching(fake, batch_size=4), chunk_sentences=4)
    big = " ".join(f"Речення номер {n}." for n in range(12))
    with pytest.raises(Cancelled):
        host.translate([big], cancel=cancel)
    assert fake.calls == 1
    fake.after_call = None
    others = ["Інша новина.", "Ще новина.", "Нова новина.", "Стара новина."]
    assert [t.text for t in host.translate(others)] == [t.upper() for t in others]


def test_translation_memory_over_the_batching_engine_stores_and_reuses_concurrent_calls(tmp_path):
    from translate.cache import CachedEngine

    fake = FakeEngine()
    memory = CachedEngine(batching(fake, batch_size=3), tmp_path / "tm.sqlite3")
    sentences = ["перше", "друге", "третє"]
    results = concurrently([lambda s=s: memory.translate_batch([s]) for s in sentences])
    assert results == [["ПЕРШЕ"], ["ДРУГЕ"], ["ТРЕТЄ"]]
    assert fake.calls == 1
    assert memory.translate_batch(sentences) == ["ПЕРШЕ", "ДРУГЕ", "ТРЕТЄ"] and fake.calls == 1


# -- through the HTTP API ------------------------------------------------------------------------------------

def test_concurrent_http_requests_are_decoded_together():
    from fastapi.testclient import TestClient

    from translate.http_api import create_api

    fake = FakeEngine()
    host = host_on(batching(fake, batch_size=3))
    texts = ["Ранкова новина.", "Вечірня новина.", "Нічна новина."]
    with TestClient(create_api(host)) as client:
        responses = concurrently([
            lambda t=t: client.post("/translate", json={"q": t, "source": "uk", "target": "en"}) for t in texts])
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["translatedText"] for r in responses] == [t.upper() for t in texts]
    assert fake.calls == 1


def test_server_builds_a_batching_engine_unless_the_wait_is_zero(tiny_model):
    from translate.config import load_server_settings, load_settings
    from translate.web import serving_translator

    settings = load_settings(None, environment=False, model=str(tiny_model), glossary=None, backend="transformers",
                             device="cpu", beam_size=1)
    batched = serving_translator(settings, load_server_settings(environment=False, workers=2))
    assert batched.engine.concurrent_callers and batched.info()["workers"] == "2"
    assert batched.translate("Привіт.") == serving_translator(
        settings, load_server_settings(environment=False, batch_wait_ms=0)).translate("Привіт.")
    plain = serving_translator(settings, load_server_settings(environment=False, batch_wait_ms=0))
    assert not getattr(plain.engine, "concurrent_callers", False)
