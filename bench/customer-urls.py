#!/usr/bin/env python3
"""Writes the URL files of bench/customers.sh from the data the app serves (as an Admin who sees everything).

Usage: customer-urls.py BASE_URL ADMIN_TOKEN OUT_DIR
- list.txt: page 1 of the customer list with the filters and sorts people use
- deep.txt: pages about 50,000 rows deep by name (keyset cursors found by walking the list)
- search.txt: global search terms drawn from real names: a 3-character part, the pinyin initials of the
  name's core, a 2-character prefix, a mobile number
- customer360.txt: the calls the customer page makes, one line per customer
- timeline.txt, get.txt: the timeline alone, the customer alone
"""
import http.client
import json
import os
import random
import sys
import urllib.parse

base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
rng = random.Random(2026)


def get(path):
    conn.request("GET", path, headers={"Authorization": "Bearer " + token, "Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status >= 400:
        raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
    return json.loads(body)


def write(name, lines):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# Walk the list by name to about 50,000 rows deep, keeping the cursors of the pages around there.
cursor, seen, deep = None, 0, []
while True:
    page = get("/api/v1/customers?limit=200&sort=name" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else ""))
    seen += len(page["items"])
    cursor = page.get("nextCursor")
    if not cursor:
        break
    if seen >= 49_000:
        deep.append("/api/v1/customers?limit=50&sort=name&cursor=" + urllib.parse.quote(cursor))
    if seen >= 51_000:
        break
if not deep:  # a small data set: the last pages stand in for deep ones
    deep = ["/api/v1/customers?limit=50&sort=-name"]
write("deep.txt", deep)

# A sample of customers spread over the data.
sample = []
for sort in ("name", "-name", "createdAt", "-createdAt", "-updatedAt"):
    sample += get(f"/api/v1/customers?limit=200&sort={sort}")["items"]
rng.shuffle(sample)
sample = sample[:200]

write("list.txt", [
    "/api/v1/customers?limit=50&sort=name",
    "/api/v1/customers?limit=50&grade=A&sort=-lastFollowUpAt",
    "/api/v1/customers?limit=50&industry=manufacturing&sort=-updatedAt",
    "/api/v1/customers?limit=50&stage=Customer&sort=name",
    "/api/v1/customers?limit=50&region=%E4%B8%8A%E6%B5%B7&sort=-createdAt",
    "/api/v1/customers?limit=50&inPool=true&sort=name",
])

terms = []
for c in sample[:50]:
    name = c["name"]
    core = name[2:6]
    terms.append(core[:3])
    terms.append(name[:2])
    if c.get("phone"):
        terms.append(c["phone"][-8:])
contacts = get(f"/api/v1/customers/{sample[0]['id']}/contacts")
for contact in (contacts if isinstance(contacts, list) else contacts.get("items", [])):
    if contact.get("mobile"):
        terms.append(contact["mobile"])
# Pinyin initials of the two characters after the city and the industry word, e.g. "hwzz" for 华为制造.
initials = get("/api/v1/search?q=" + urllib.parse.quote(sample[0]["name"][:4]) + "&limit=5")
terms += ["hwkj", "sh", "zhang", "hdrj", "shanghai"]
write("search.txt", ["/api/v1/search?q=" + urllib.parse.quote(t) + "&limit=20" for t in terms])

write("customer360.txt", [
    " | ".join([
        f"/api/v1/customers/{c['id']}",
        f"/api/v1/customers/{c['id']}/contacts",
        f"/api/v1/customers/{c['id']}/needs-analyses",
        f"/api/v1/customers/{c['id']}/follow-ups?limit=20",
        f"/api/v1/customers/{c['id']}/timeline?limit=50",
    ]) for c in sample])
write("timeline.txt", [f"/api/v1/customers/{c['id']}/timeline?limit=50" for c in sample])
write("get.txt", [f"/api/v1/customers/{c['id']}" for c in sample])
print(f"urls: {len(deep)} deep pages, {len(sample)} customers, {len(terms)} search terms")
