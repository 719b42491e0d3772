// Parses the iCalendar file named on the command line with ical.js and prints its events as JSON.
// Exits non-zero when the file is not valid iCalendar (the parser throws).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
if (calendar.name !== "vcalendar") {
  throw new Error(`expected a VCALENDAR, got ${calendar.name}`);
}

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
    url: component.getFirstPropertyValue("url"),
    stamp: component.getFirstPropertyValue("dtstamp")?.toString() ?? null,
  };
});
process.stdout.write(JSON.stringify({ version: calendar.getFirstPropertyValue("version"), events }));
