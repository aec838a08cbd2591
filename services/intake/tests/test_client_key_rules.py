"""The pure rules of re-keying: which key is current, which one is retired, and how far a pass came."""

from __future__ import annotations

from intake.client_keys.rules import MAX_REMEMBERED_KEYS, Pass, adopt, adopted_keys, is_retired, pass_of


def test_a_new_key_is_adopted_in_front_and_an_earlier_one_is_retired() -> None:
    adopted = adopt(adopted_keys(None), "aaaaaaaa")
    assert adopted == ["aaaaaaaa"] and not is_retired(adopted, "aaaaaaaa")
    adopted = adopt(adopted, "bbbbbbbb")
    assert adopted == ["bbbbbbbb", "aaaaaaaa"]
    assert is_retired(adopted, "aaaaaaaa") and not is_retired(adopted, "bbbbbbbb")
    # A key never seen is not retired: a replica with it adopts it.
    assert not is_retired(adopted, "cccccccc")


def test_adopting_a_key_again_brings_it_to_the_front_once() -> None:
    adopted = adopt(["bbbbbbbb", "aaaaaaaa"], "aaaaaaaa")
    assert adopted == ["aaaaaaaa", "bbbbbbbb"]
    assert adopted_keys(",".join(adopted)) == adopted


def test_only_the_latest_keys_are_remembered() -> None:
    adopted: list[str] = []
    for n in range(MAX_REMEMBERED_KEYS + 5):
        adopted = adopt(adopted, f"{n:08x}")
    assert len(adopted) == MAX_REMEMBERED_KEYS and adopted[0] == f"{MAX_REMEMBERED_KEYS + 4:08x}"
    # The stored value fits worker_state's column.
    assert len(",".join(adopted)) <= 200


def test_a_pass_is_read_back_as_written_and_starts_over_under_another_key() -> None:
    after = "5f0c4b1e-6a43-4b8e-9e0e-2d1c4b7a9f10"
    for written in (Pass("aaaaaaaa"), Pass("aaaaaaaa", after=after), Pass("aaaaaaaa", done=True)):
        assert pass_of(written.value(), "aaaaaaaa") == written
    assert pass_of(Pass("aaaaaaaa", done=True).value(), "bbbbbbbb") == Pass("bbbbbbbb")
    assert pass_of(None, "bbbbbbbb") == Pass("bbbbbbbb")
    assert len(Pass("aaaaaaaa", after=after).value()) <= 200
