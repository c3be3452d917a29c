"""``tanyapemilu ask`` and ``tanyapemilu chat``: the question engine from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from knowledge_base.answering.engine import QuestionEngine, Reply
from knowledge_base.conversations.models import Outcome
from knowledge_base.core.settings import Settings
from tanyapemilu.cli.context import question_engine

EXIT_WORDS = frozenset({"keluar", "exit", "quit"})


def register(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser("ask", help="answer questions (arguments, or one per stdin line)")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument(
        "questions", nargs="*", metavar="QUESTION", help="each argument is one question"
    )
    ask.set_defaults(handler=run_ask)
    chat = commands.add_parser("chat", help="an interactive conversation in the terminal")
    chat.set_defaults(handler=run_chat)


def reply_json(reply: Reply) -> dict[str, object]:
    """The stable JSON contract of ``ask --json``."""
    return {
        "question": reply.question,
        "outcome": str(reply.outcome),
        "entry_id": reply.entry_id,
        "answer": reply.answer,
        "score": reply.score,
        "suggestions": [
            {"entry_id": s.entry_id, "question": s.question, "score": s.score}
            for s in reply.suggestions
        ],
    }


def _questions(args: argparse.Namespace) -> Iterable[str]:
    if args.questions:
        yield from args.questions
        return
    for line in sys.stdin:
        yield line.rstrip("\r\n")


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    with question_engine(settings) as engine:
        for question in _questions(args):
            reply = engine.ask(question)
            if args.json:
                print(json.dumps(reply_json(reply), ensure_ascii=False), flush=True)
            else:
                print(f"[{reply.outcome}] {reply.answer}\n", flush=True)
    return 0


def _chat_turn(engine: QuestionEngine, text: str, offered: list[str]) -> list[str]:
    if text.isdigit() and 1 <= int(text) <= len(offered):
        entry = engine.entry(offered[int(text) - 1])
        print(engine.compose_answer(entry) if entry else "Entri tidak ditemukan.")
        return []
    reply = engine.ask(text)
    if reply.outcome == Outcome.SUGGEST:
        print(reply.answer.splitlines()[0])
        for number, suggestion in enumerate(reply.suggestions, start=1):
            print(f"  {number}. {suggestion.question}")
        print("Ketik nomornya untuk melihat jawaban.")
        return [s.entry_id for s in reply.suggestions]
    print(reply.answer)
    return []


def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    with question_engine(settings) as engine:
        print("TanyaPemilu — ketik pertanyaan Anda, atau 'keluar' untuk selesai.")
        offered: list[str] = []
        while True:
            try:
                text = input("\nAnda: ").strip()
            except EOFError:
                break
            if text.casefold() in EXIT_WORDS:
                break
            offered = _chat_turn(engine, text, offered)
    return 0
