"""Realistic post-interview drafts for the benchmark, generated from templates (seeded).

About 150 words each: thank-you notes, follow-ups, replies to requests for information and
replies to offers, in .txt (some with front matter), .md and .eml, and about a third carrying
a problem a rule should catch (salary before an offer, criticism of an employer, pleading,
an unfilled placeholder, repeated chasing). Standard library only."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

FIRST = ["Priya", "Tomasz", "Amara", "Daniel", "Sofia", "Kwame", "Hannah", "Luis", "Mei", "Oliver",
         "Fatima", "Jonas", "Chloe", "Ravi", "Ingrid", "Marcus", "Aisha", "Pedro", "Yuki", "Grace"]
LAST = ["Raman", "Zielinski", "Okafor", "Fischer", "Rossi", "Mensah", "Clarke", "Moreno", "Chen",
        "Walsh", "Haddad", "Berg", "Dubois", "Iyer", "Larsen", "Bell", "Yusuf", "Santos", "Sato", "Hughes"]
COMPANIES = ["Northwind Analytics", "Brightpath Health", "Helix Robotics", "Lumiere Studios", "Verdant Energy",
             "Harborview Logistics", "Stellar Pharma", "Orbital Systems", "Danube Tech", "Camden Retail",
             "Silverline Finance", "Pioneer Foods", "Quarry Labs", "Meridian Insurance", "Atlas Learning"]
ROLES = ["Data Analyst", "Product Designer", "Backend Engineer", "Operations Coordinator", "Account Manager",
         "Quantity Surveyor", "Site Reliability Engineer", "Marketing Associate", "Research Scientist",
         "Customer Success Lead", "Financial Analyst", "Volunteer Programme Officer"]
TOPICS = ["the retention-cohort exercise", "your plans for the on-call rotation", "the migration to the new warehouse system",
          "the pricing experiments you are running", "how the team reviews design critiques", "the churn-forecasting model",
          "the claims-automation roadmap", "the quarterly planning process", "the mentoring scheme for new starters",
          "the accessibility audit of the mobile app", "the supplier onboarding backlog", "the move to weekly releases"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SIGN_OFFS = ["Best regards", "Kind regards", "Many thanks", "Thanks again", "Warm regards", "Best wishes"]

THANKS = [
    "Thank you for taking the time to meet me on {day} to talk about the {role} position.",
    "Thank you for yesterday's interview for the {role} role at {company}.",
    "Many thanks for the conversation on {day}; I enjoyed learning more about the {role} role.",
    "I wanted to thank you for meeting me on {day} to discuss the {role} opening at {company}.",
]
SPECIFIC = [
    "I particularly enjoyed our discussion of {topic}, and it gave me a clear picture of how the team works day to day.",
    "Your explanation of {topic} made a lot of sense, and I have been thinking about it since we spoke.",
    "Hearing about {topic} was the highlight of the afternoon for me, and it matches the work I did in my last role.",
    "It was good to hear how {topic} fits into the wider plan for the next year, and where this role would help.",
]
FIT = [
    "In my current position I lead a small group that ships reporting tools, so the problems you described felt familiar.",
    "Over the last three years I have built dashboards, run workshops with stakeholders and mentored two junior colleagues.",
    "I believe my experience with process improvement and careful documentation would let me contribute from the first month.",
    "I have spent the past two years working closely with operations teams, and I enjoy turning rough ideas into working tools.",
    "The combination of hands-on work and collaboration with other teams is exactly what I am looking for in my next step.",
]
INTEREST = [
    "I am very interested in the role and would welcome the chance to continue the conversation.",
    "The role sounds like an excellent fit, and I am excited about the prospect of joining {company}.",
    "I left the interview even more enthusiastic about the team and the work ahead.",
]
OFFER_HELP = [
    "If it would be useful, I am happy to send over the notes I mentioned or answer any further questions.",
    "Please let me know if there is anything else I can provide to help with your decision.",
    "I would be glad to share the short write-up I described if it helps the panel.",
]
FOLLOW = [
    "I hope you have had a good week. I wanted to follow up on my interview for the {role} role on {day} and ask whether there is any update on the timeline.",
    "I am writing to follow up on our conversation last {day} about the {role} position and to ask about the next steps in the process.",
    "I hope all is well. I wanted to check in about the {role} role and see whether you have a sense of the timeline for a decision.",
]
INFO = [
    "As requested, I have attached the references and the portfolio samples we discussed on {day}.",
    "Following your note, here are the details you asked for: my notice period is four weeks and I am available for a second interview next week.",
]
OFFER = [
    "Thank you very much for the offer for the {role} position; I was delighted to receive it.",
    "I was thrilled to receive your offer for the {role} role at {company}, and thank you for the kind call on {day}.",
]
OFFER_ASK = [
    "Before I confirm, could we talk through the salary range, the annual bonus and the pension contributions?",
    "Could you tell me a little more about the benefits package and the start date you have in mind?",
]
CLOSE = [
    "Thank you again for your time, for the thoughtful questions, and for showing me round the office afterwards.",
    "I appreciated how open everyone was about the challenges ahead, and I would enjoy helping to tackle them.",
    "It was also a pleasure to meet the rest of the panel, and I came away with a much better sense of the culture.",
]
PROBLEMS = {
    "salary": ["Could you also tell me the salary range for the role and whether there is an annual bonus?",
               "Before we go further, I would like to understand the compensation and the benefits package."],
    "criticism": ["Honestly, my current manager is clueless and the leadership there is a total mess.",
                  "My previous employer was so disorganised that I spent most of my time cleaning up after my boss."],
    "desperation": ["I really need this job and I will take anything you can offer, please!!!",
                    "Please, please consider me; this is my last chance and I will do whatever it takes."],
    "placeholder": ["I look forward to hearing from [Interviewer's Name] about the {{role}} position.",
                    "Please pass my thanks to <Company> and the rest of the team."],
    "chasing": ["I am following up again because I haven't heard back from any of my emails.",
                "This is my third email about the role, so I thought I would try once more."],
}


def _sentence(rng: random.Random, pool: list[str], fields: dict) -> str:
    return rng.choice(pool).format(**fields)


def make_draft(rng: random.Random, index: int) -> tuple[str, str, int]:
    """(file name, file content, words in the message) of one draft."""
    reader, writer = f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    company, role = rng.choice(COMPANIES), rng.choice(ROLES)
    fields = {"day": rng.choice(DAYS), "role": role, "company": company, "topic": rng.choice(TOPICS)}
    kind = rng.choices(["thank-you", "follow-up", "info-response", "offer-response"], [55, 25, 12, 8])[0]
    if kind == "thank-you":
        body = [_sentence(rng, THANKS, fields), _sentence(rng, SPECIFIC, fields), _sentence(rng, FIT, fields),
                _sentence(rng, FIT, fields), _sentence(rng, INTEREST, fields), _sentence(rng, OFFER_HELP, fields)]
    elif kind == "follow-up":
        body = [_sentence(rng, FOLLOW, fields), _sentence(rng, SPECIFIC, fields), _sentence(rng, FIT, fields),
                _sentence(rng, INTEREST, fields), _sentence(rng, OFFER_HELP, fields)]
    elif kind == "info-response":
        body = [_sentence(rng, INFO, fields), _sentence(rng, SPECIFIC, fields), _sentence(rng, FIT, fields),
                _sentence(rng, FIT, fields), _sentence(rng, INTEREST, fields), _sentence(rng, OFFER_HELP, fields)]
    else:
        body = [_sentence(rng, OFFER, fields), _sentence(rng, OFFER_ASK, fields), _sentence(rng, SPECIFIC, fields),
                _sentence(rng, FIT, fields), _sentence(rng, INTEREST, fields)]
    body.insert(len(body) - 1, _sentence(rng, CLOSE, fields))
    if rng.random() < 0.35:
        problem = rng.choice(sorted(PROBLEMS))
        body.insert(rng.randrange(1, len(body)), PROBLEMS[problem][rng.randrange(2)])
    paragraphs = [" ".join(body[:2]), " ".join(body[2:-1]), body[-1]]
    greeting = f"Dear {reader.split()[0]}," if rng.random() < 0.9 else "Dear Hiring Manager,"
    text = "\n\n".join([greeting, *paragraphs, f"{rng.choice(SIGN_OFFS)},\n{writer}"]) + "\n"
    count = len(text.split())

    interview = dt.date(2026, 11, 2) + dt.timedelta(days=rng.randrange(0, 40))
    sent = interview + dt.timedelta(days={"thank-you": 1, "follow-up": rng.choice([3, 7, 8]),
                                          "info-response": 2, "offer-response": 14}[kind])
    address = f"{reader.lower().replace(' ', '.')}@{company.split()[0].lower()}.example"
    style = rng.random()
    if style < 0.15:
        date = dt.datetime.combine(sent, dt.time(9, 30)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        headers = f"From: {writer} <me@mail.example>\nTo: {reader} <{address}>\nDate: {date}\nSubject: {role} interview\n"
        return f"{index:05d}-{kind}.eml", headers + "Content-Type: text/plain; charset=utf-8\n\n" + text, count
    if style < 0.6:
        front = (f"---\nto: {reader} <{address}>\ncompany: {company}\nrole: {role}\ntype: {kind}\n"
                 f"interview_date: {interview.isoformat()}\ndate: {sent.isoformat()}\n"
                 f"offer: {'true' if kind == 'offer-response' else 'false'}\n---\n\n")
        suffix = ".md" if style < 0.3 else ".txt"
        return f"{index:05d}-{kind}{suffix}", front + text, count
    return f"{index:05d}-{kind}.txt", text, count


def generate(folder: str | Path, count: int, seed: int = 4) -> tuple[list[Path], int]:
    """Write `count` drafts into `folder`: their paths (sorted) and the words of their messages."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, total = [], 0
    for index in range(count):
        name, content, words = make_draft(rng, index)
        path = folder / name
        path.write_text(content, encoding="utf-8")
        paths.append(path)
        total += words
    return paths, total
