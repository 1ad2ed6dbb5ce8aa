"""`uk-en eval` and translate.evaluate: sacreBLEU's numbers exactly, glossary term accuracy, input checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sacrebleu
from random_marian import CORPUS
from typer.testing import CliRunner

from translate.cli import app
from translate.errors import EvalInputError
from translate.evaluate import read_lines, score, term_accuracy

runner = CliRunner()


def degrade(line: str, i: int) -> str:
    """A plausible imperfect hypothesis: drop one word in three, swap a pair now and then."""
    words = [w for k, w in enumerate(line.split()) if (k + i) % 3]
    if i % 4 == 0 and len(words) > 2:
        words[0], words[1] = words[1], words[0]
    return " ".join(words)


@pytest.fixture
def test_set(tmp_path) -> tuple[Path, Path, Path]:
    sources = read_lines(CORPUS / "flores200-dev.uk")[:60]
    references = read_lines(CORPUS / "flores200-dev.en")[:60]
    src, ref, hyp = tmp_path / "test.uk", tmp_path / "test.en", tmp_path / "hyp.en"
    src.write_text("\n".join(sources) + "\n", encoding="utf-8")
    ref.write_text("\n".join(references) + "\n", encoding="utf-8")
    hyp.write_text("\n".join(degrade(r, i) for i, r in enumerate(references)) + "\n", encoding="utf-8")
    return src, ref, hyp


def sacrebleu_scores(hyp: Path, ref: Path) -> dict:
    hyps, refs = read_lines(hyp), [read_lines(ref)]
    return {"bleu": sacrebleu.corpus_bleu(hyps, refs).score, "chrf": sacrebleu.corpus_chrf(hyps, refs).score,
            "chrf++": sacrebleu.corpus_chrf(hyps, refs, word_order=2).score}


def test_eval_of_a_hypothesis_file_reproduces_sacrebleus_numbers(test_set):
    src, ref, hyp = test_set
    result = runner.invoke(app, ["eval", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp), "--json",
                                 "--no-glossary"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    expected = sacrebleu_scores(hyp, ref)
    assert {k: scores[k] for k in expected} == expected
    assert 5 < scores["bleu"] < 90  # a real, non-trivial comparison
    assert scores["signatures"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert "nc:6|nw:0" in scores["signatures"]["chrf"] and "nc:6|nw:2" in scores["signatures"]["chrf++"]
    assert scores["lines"] == 60 and scores["terms"] is None


def test_eval_report_shows_each_score_with_its_signature(test_set):
    src, ref, hyp = test_set
    result = runner.invoke(app, ["eval", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp), "--no-glossary"])
    assert result.exit_code == 0, result.stderr
    expected = sacrebleu_scores(hyp, ref)
    lines = result.stdout.splitlines()
    assert any(l.startswith("BLEU") and f"{expected['bleu']:.1f}" in l and "tok:13a" in l for l in lines)
    assert any(l.startswith("chrF++") and f"{expected['chrf++']:.1f}" in l for l in lines)


def test_eval_translates_the_sources_and_scores_exactly_what_it_wrote(test_set, tiny_model, tmp_path):
    src, ref, _ = test_set
    src.write_text("\n".join(read_lines(src)[:8]) + "\n", encoding="utf-8")
    ref.write_text("\n".join(read_lines(ref)[:8]) + "\n", encoding="utf-8")
    written = tmp_path / "model.en"
    result = runner.invoke(app, ["eval", "--src", str(src), "--ref", str(ref), "-o", str(written), "--json",
                                 "--model", str(tiny_model), "--backend", "transformers", "--device", "cpu",
                                 "--beam-size", "1", "--max-length-ratio", "0.5", "--max-length-offset", "2",
                                 "--no-glossary", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert len(read_lines(written)) == 8 and scores["lines"] == 8
    assert {k: scores[k] for k in ("bleu", "chrf", "chrf++")} == sacrebleu_scores(written, ref)
    assert scores["model"] == str(tiny_model)


def test_misaligned_files_are_refused_naming_both_counts(test_set):
    src, ref, hyp = test_set
    hyp.write_text("Only one line.\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp), "--no-glossary"])
    assert result.exit_code == 2
    assert "60" in result.stderr and "1 lines" in result.stderr and "Traceback" not in result.output


def test_undecodable_test_set_is_named_with_its_line(tmp_path):
    bad = tmp_path / "bad.uk"
    bad.write_bytes(b"fine\n\xff broken\n")
    with pytest.raises(EvalInputError, match=r"bad.uk:2: not valid UTF-8"):
        read_lines(bad)


def test_term_accuracy_counts_each_matched_term_occurrence():
    from translate.glossary import Glossary

    glossary = Glossary.from_pairs([("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv")])
    sources = ["Столтенберга зустріли в Києві.", "Київ і знову Київ.", "Нічого тут немає."]
    hypotheses = ["Stoltenberg was met in Kiev.", "Kyiv and Kyiv again.", "Nothing here."]
    accuracy = term_accuracy(sources, hypotheses, glossary)
    assert (accuracy.matched, accuracy.applied) == (4, 3)
    assert accuracy.accuracy == pytest.approx(0.75)


def test_eval_with_a_glossary_reports_term_accuracy(tmp_path):
    src, ref, hyp, glossary = (tmp_path / n for n in ("s.uk", "r.en", "h.en", "g.tsv"))
    src.write_text("Столтенберг прибув до Скоп'є.\nУ Скоп'є тепло.\n", encoding="utf-8")
    ref.write_text("Stoltenberg arrived in Skopje.\nIt is warm in Skopje.\n", encoding="utf-8")
    hyp.write_text("Stoltenberg came to Skoplje.\nIt is warm in Skopje.\n", encoding="utf-8")
    glossary.write_text("Столтенберг\tStoltenberg\nСкоп'є\tSkopje\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp),
                                 "--glossary", str(glossary), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["terms"] == {"matched": 3, "applied": 2, "accuracy": pytest.approx(2 / 3)}


def test_score_is_sacrebleu_on_in_memory_lines():
    hyps, refs = ["the cat sat on a mat", "hello there"], ["the cat sat on the mat", "hello there friend"]
    scores = score(hyps, refs)
    assert scores.bleu == sacrebleu.corpus_bleu(hyps, [refs]).score
    assert scores.chrf_plus_plus == sacrebleu.corpus_chrf(hyps, [refs], word_order=2).score
