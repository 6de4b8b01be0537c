"""A deterministic synthetic corpus of press-conference transcripts.

Each transcript has the seed's shape and hazards: an ``Outlet | Date`` line,
speaker lines, paragraphs of about six sentences with abbreviations (Dr., U.S.,
No. 5, Jan. 14), decimals and percentages, quotations with inner punctuation,
enumerations, and sentences repeated across documents ("Thank you.").
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = [
    "Chongqing",
    "The city",
    "Our municipality",
    "The western region",
    "Dr. Li's team",
    "The U.S. delegation",
    "The hub port industrial park",
    "The government",
    "Amb. Wang",
    "The China-Europe Railway Express",
]
VERBS = [
    "will build",
    "has expanded",
    "aims to improve",
    "is planning",
    "will accelerate",
    "has reduced",
    "will promote",
    "continues to strengthen",
    "expects to double",
    "has opened",
]
OBJECTS = [
    "a pioneer zone for high-quality development",
    "the New International Land-Sea Trade Corridor",
    "its logistics network",
    "new quality productive forces",
    "the number of industrial parks",
    "green and low-carbon transformation",
    "digital governance",
    "rural revitalization",
    "a smart hub for city operations",
    "urban-rural integration",
]
TAILS = [
    "by 2027",
    "in the upper reaches of the Yangtze River",
    "with advanced manufacturing as the backbone",
    "according to report No. 5",
    "since Jan. 14",
    "by 4.5% a year",
    "to 1.2 trillion yuan",
    "as Ms. Zhang said",
    "in all respects",
    "for the 30th anniversary",
]
QUOTES = [
    'He told us: "We are staying. Why would we leave?" That is the spirit.',
    'The plan is called "a comprehensive hub." It will take years.',
]
COMMON = ["Thank you.", "Thank you for your question.", "That's my answer.", "Could you please elaborate?"]
SPEAKERS = ["CCTV", "Xinhua", "China Daily", "Reuters"]
OFFICIALS = ["Hu Henghua", "Li Ming", "Zhang Wei"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def sentence(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.04:
        return rng.choice(QUOTES)
    if r < 0.10:
        return rng.choice(COMMON)
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.5:
        s += f", reaching {rng.randint(2, 900)}.{rng.randint(0, 9)}% of target {rng.randint(1, 99)}"
    return s + rng.choice([".", ".", ".", "?"])


def transcript(rng: random.Random, index: int) -> str:
    lines = [f"China.org.cn | {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2025)}"]
    ordinals = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"]
    for turn in range(2):
        lines.append(f"{rng.choice(SPEAKERS) if turn == 0 else rng.choice(OFFICIALS)}:")
        for p in range(rng.randint(4, 7) if turn else 1):
            sents = [sentence(rng) for _ in range(rng.randint(5, 9))]
            if turn and p < len(ordinals):
                sents[0] = f"{ordinals[p]}, {sents[0][0].lower()}{sents[0][1:]}"
            lines.append(" ".join(sents))
    lines.append("That's my answer. Thank you.")
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, n: int, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        p = folder / f"doc-{i:05d}.txt"
        p.write_text(transcript(rng, i), "utf-8")
        p.with_suffix(".meta.toml").write_text(f'title = "Synthetic transcript {i}"\nlanguage = "en"\n', "utf-8")
        paths.append(p)
    return paths


def mutate(paths: list[Path], fraction: float = 0.1, seed: int = 2) -> list[Path]:
    """Edit ``fraction`` of the sources: change a word, drop a sentence, add one."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(paths, max(1, int(len(paths) * fraction))))
    for p in chosen:
        lines = p.read_text("utf-8").split("\n")
        body = [i for i, ln in enumerate(lines) if len(ln) > 80]
        i = rng.choice(body)
        sents = lines[i].split(". ")
        j = rng.randrange(len(sents))
        action = rng.random()
        if action < 0.6:
            sents[j] = sents[j].replace(" will ", " shall ", 1).replace(" has ", " had ", 1) + " again"
        elif action < 0.8 and len(sents) > 1:
            del sents[j]
        else:
            sents.insert(j, sentence(rng).rstrip("."))
        lines[i] = ". ".join(sents)
        p.write_text("\n".join(lines), "utf-8")
    return chosen


def mutate_sentences(paths: list[Path], fraction: float = 0.1, seed: int = 3) -> list[Path]:
    """Edit ``fraction`` of all sentences (a word changed or added), spread over every source."""
    rng = random.Random(seed)
    changed = []
    for p in paths:
        lines = p.read_text("utf-8").split("\n")
        touched = False
        for i, line in enumerate(lines):
            if i == 0 or line.endswith(":") or not line:
                continue
            sents = line.split(". ")
            for j, s in enumerate(sents):
                if rng.random() < fraction:
                    words = s.split(" ")
                    k = rng.randrange(len(words))
                    words.insert(k + 1, rng.choice(["further", "steadily", "also", "now", "jointly"]))
                    sents[j] = " ".join(words)
                    touched = True
            lines[i] = ". ".join(sents)
        if touched:
            p.write_text("\n".join(lines), "utf-8")
            changed.append(p)
    return changed
