#!/usr/bin/env python3
"""Writes the bundled OneRoster sample: a small fictional district as its student information system
would export it, plus the files OneRoster cannot give flexsched.

  district/       OneRoster 1.1 bulk CSV export (the main sample): two schools, 150 students
  district-1.2/   the same district exported as OneRoster 1.2 (roles.csv, preferred names)
  WEEK.yaml       Cedar Valley Middle School's week: days, blocks, modalities, rooms, subject map,
                  teacher limits (import with --school CVMS)
  NEEDS.csv       that school's personalized-learning plans, one row per need
  STUDENTS.csv    what OneRoster does not carry about some of its students (rooms, pull-outs, limits)

Python 3 standard library only. Deterministic: running it again rewrites every file byte for byte.
Usage: python3 Scenarios/oneroster-sample/generate.py
"""
import csv
import io
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261130)


def guid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


GIVEN = ["Aaliyah", "Adrian", "Aiden", "Amara", "Ana", "Andre", "Ava", "Benjamin", "Bianca", "Caleb", "Camila",
         "Carlos", "Chloe", "Daniel", "Deja", "Diego", "Elena", "Elijah", "Emily", "Ethan", "Fatima", "Gabriel",
         "Grace", "Hana", "Hassan", "Isabella", "Isaiah", "Jada", "Jamal", "Javier", "Jayden", "Jin", "Jordan",
         "Kai", "Keisha", "Layla", "Leo", "Liam", "Lucia", "Malik", "Maya", "Mei", "Mia", "Mohammed", "Nadia",
         "Noah", "Nora", "Omar", "Olivia", "Priya", "Rafael", "Riya", "Samuel", "Sofia", "Tariq", "Theo",
         "Valentina", "Wei", "Xavier", "Yara", "Yusuf", "Zara", "Zoe"]
FAMILY = ["Abebe", "Alvarez", "Anderson", "Bui", "Campbell", "Castillo", "Chavez", "Cohen", "Diallo", "Evans",
          "Fernandez", "Fischer", "Garcia", "Gupta", "Hernandez", "Ibrahim", "Jackson", "Johnson", "Kim", "Kowalczyk",
          "Lee", "Lopez", "Martin", "Mendoza", "Mensah", "Miller", "Nakamura", "Nguyen", "Okafor", "Ortiz", "Park",
          "Patel", "Ramirez", "Reyes", "Robinson", "Rossi", "Santos", "Schmidt", "Singh", "Smith", "Tanaka",
          "Thompson", "Torres", "Walker", "Williams", "Wilson", "Wright", "Yamamoto", "Young", "Zhang"]
# What some students go by (OneRoster 1.2 preferredGivenName).
NICKNAMES = {"Alejandro": "Alex", "Benjamin": "Ben", "Daniel": "Danny", "Elijah": "Eli", "Gabriel": "Gabe",
             "Isabella": "Bella", "Mohammed": "Mo", "Samuel": "Sam", "Valentina": "Vale", "Olivia": "Liv"}

# Subjects as the SIS names them, with SCED-style subject-area codes (01 English, 02 Mathematics,
# 03 Science, 04 Social Sciences, 24 World Languages; the last three digits are illustrative).
SUBJECTS = {"math": ("Mathematics", "02"), "ela": ("English Language Arts", "01"), "science": ("Science", "03"),
            "social": ("Social Studies", "04"), "spanish": ("World Languages", "24")}

DISTRICT = {"id": guid(), "name": "Cedar Valley Unified School District", "identifier": "CVUSD"}
MIDDLE = {"id": guid(), "name": "Cedar Valley Middle School", "identifier": "CVMS", "grades": ["06", "07", "08"],
          "sizes": [27, 27, 26]}
ELEMENTARY = {"id": guid(), "name": "Birchwood Elementary School", "identifier": "BES", "grades": ["03", "04", "05"],
              "sizes": [24, 23, 23]}
DOMAIN = "cvusd.example.org"

# --- academic sessions: one school year, two semesters, four grading periods -------------------------
YEAR = {"id": guid(), "title": "2026-2027", "type": "schoolYear", "start": "2026-08-24", "end": "2027-06-04", "parent": ""}
FALL = {"id": guid(), "title": "Fall 2026", "type": "semester", "start": "2026-08-24", "end": "2027-01-08", "parent": YEAR["id"]}
SPRING = {"id": guid(), "title": "Spring 2027", "type": "semester", "start": "2027-01-11", "end": "2027-06-04", "parent": YEAR["id"]}
QUARTERS = [
    {"id": guid(), "title": "Quarter 1", "type": "gradingPeriod", "start": "2026-08-24", "end": "2026-10-30", "parent": FALL["id"]},
    {"id": guid(), "title": "Quarter 2", "type": "gradingPeriod", "start": "2026-11-02", "end": "2027-01-08", "parent": FALL["id"]},
    {"id": guid(), "title": "Quarter 3", "type": "gradingPeriod", "start": "2027-01-11", "end": "2027-03-26", "parent": SPRING["id"]},
    {"id": guid(), "title": "Quarter 4", "type": "gradingPeriod", "start": "2027-03-29", "end": "2027-06-04", "parent": SPRING["id"]},
]
SESSIONS = [YEAR, FALL, SPRING] + QUARTERS
FULL_YEAR = [FALL["id"], SPRING["id"]]

used_names = set()
student_numbers = iter(range(240101, 249999, 7))


def person(role, school_ids, grade="", enabled=True, status=""):
    while True:
        given, family = rng.choice(GIVEN + list(NICKNAMES)), rng.choice(FAMILY)
        if (given, family) not in used_names:
            used_names.add((given, family))
            break
    number = str(next(student_numbers)) if role == "student" else "T%04d" % rng.randrange(1000, 9999)
    return {"id": guid(), "status": status, "enabled": enabled, "orgs": school_ids, "role": role,
            "username": f"{given}.{family}".lower(), "given": given, "family": family,
            "preferred": NICKNAMES.get(given, "") if rng.random() < 0.8 else "",
            "identifier": number, "grade": grade,
            "email": f"{given}.{family}@{DOMAIN}".lower() if role != "student" else f"{number}@students.{DOMAIN}"}


# --- people ---------------------------------------------------------------------------------------
users = [
    person("administrator", [DISTRICT["id"]]),  # the district's SIS administrator
    person("administrator", [MIDDLE["id"]]),    # principals
    person("administrator", [ELEMENTARY["id"]]),
]
# The middle school's teachers, each with the classes they teach ((course key, grade) pairs).
MIDDLE_TEACHERS = {}
for key in ["rivera", "okonkwo", "chen", "sullivan", "haddad", "patel", "brooks", "kowalski", "morales",
            "nguyen", "adeyemi", "dunn"]:
    # Ms. Morales teaches Spanish at both schools; Mr. Dunn is on leave (account disabled).
    schools = [MIDDLE["id"], ELEMENTARY["id"]] if key == "morales" else [MIDDLE["id"]]
    MIDDLE_TEACHERS[key] = person("teacher", schools, enabled=key != "dunn")
    users.append(MIDDLE_TEACHERS[key])
ELEMENTARY_TEACHERS = {key: person("teacher", [ELEMENTARY["id"]]) for key in
                       ["grade3a", "grade3b", "grade4", "grade5a", "grade5b", "interventionist"]}
users += ELEMENTARY_TEACHERS.values()
users.append(person("aide", [ELEMENTARY["id"]]))


def students_of(school):
    result = []
    for grade, size in zip(school["grades"], school["sizes"]):
        for _ in range(size):
            result.append(person("student", [school["id"]], grade=grade))
        # Withdrawn students stay in the SIS with their account disabled; one is marked for deletion.
        result.append(person("student", [school["id"]], grade=grade, enabled=False))
    result.append(person("student", [school["id"]], grade=school["grades"][0], status="tobedeleted"))
    return result


middle_students = students_of(MIDDLE)
elementary_students = students_of(ELEMENTARY)
users += middle_students + elementary_students

# --- courses and classes ----------------------------------------------------------------------------
courses, classes, enrollments = [], [], []


def course(school, title, code, subject, grade):
    name, area = SUBJECTS[subject]
    row = {"id": guid(), "title": title, "code": code, "grades": grade, "org": school["id"],
           "subjects": name, "subjectCodes": area + "%03d" % rng.randrange(1, 200)}
    courses.append(row)
    return row


def klass(school, course_row, title, teachers, members, terms, period, room, subjects=True, class_type="scheduled"):
    row = {"id": guid(), "title": title, "grades": course_row["grades"], "course": course_row["id"],
           "code": course_row["code"] + "-" + period, "type": class_type, "location": room, "school": school["id"],
           "terms": terms, "subjects": course_row["subjects"] if subjects else "",
           "subjectCodes": course_row["subjectCodes"] if subjects else "", "periods": period}
    classes.append(row)
    for t in teachers:
        enrollments.append({"id": guid(), "class": row["id"], "school": school["id"], "user": t["id"], "role": "teacher", "primary": "true" if t is teachers[0] else "false"})
    for s in members:
        enrollments.append({"id": guid(), "class": row["id"], "school": school["id"], "user": s["id"], "role": "student", "primary": "false"})
    return row


T = MIDDLE_TEACHERS
by_grade = {g: [s for s in middle_students if s["grade"] == g] for g in MIDDLE["grades"]}
core = {  # grade -> subject -> teachers of that grade's class
    "06": {"math": [T["rivera"]], "ela": [T["sullivan"]], "science": [T["patel"], T["adeyemi"]], "social": [T["brooks"]]},
    "07": {"math": [T["rivera"], T["chen"]], "ela": [T["kowalski"]], "science": [T["patel"]], "social": [T["brooks"]]},
    "08": {"math": [T["okonkwo"], T["dunn"]], "ela": [T["haddad"]], "science": [T["chen"]], "social": [T["kowalski"]]},
}
titles = {"math": "Math", "ela": "ELA", "science": "Science", "social": "Social Studies"}
rooms = {"math": "Room 101", "ela": "Room 102", "science": "Science Lab", "social": "Room 103"}
for grade, subjects in core.items():
    for period, (subject, teachers) in enumerate(subjects.items(), start=1):
        c = course(MIDDLE, f"{titles[subject]} {int(grade)}", f"{subject.upper()}-{grade}", subject, grade)
        klass(MIDDLE, c, f"{titles[subject]} {int(grade)}", teachers, by_grade[grade], FULL_YEAR, str(period), rooms[subject])
# Interventions and electives: subjects only on the course (the class leaves them empty).
every = [s for s in middle_students if s["enabled"] and not s["status"]]
math_iv = course(MIDDLE, "Math Intervention", "MATH-IV", "math", "06,07,08")
klass(MIDDLE, math_iv, "Math Intervention", [T["nguyen"], T["okonkwo"]], rng.sample(every, 14), FULL_YEAR, "5", "Room 104", subjects=False)
read_iv = course(MIDDLE, "Reading Intervention", "ELA-IV", "ela", "06,07,08")
klass(MIDDLE, read_iv, "Reading Intervention", [T["haddad"], T["nguyen"]], rng.sample(every, 12), FULL_YEAR, "6", "Library", subjects=False)
klass(MIDDLE, read_iv, "Reading Intervention B", [T["sullivan"]], rng.sample(every, 8), [QUARTERS[2]["id"]], "7", "Library", subjects=False)
spanish = course(MIDDLE, "Spanish 1", "SPAN-1", "spanish", "07,08")
spanish_students = rng.sample(by_grade["07"] + by_grade["08"], 18)
klass(MIDDLE, spanish, "Spanish 1", [T["morales"]], spanish_students, [SPRING["id"]], "7", "Room 104")
explore = course(MIDDLE, "Exploring Languages", "SPAN-X", "spanish", "06")
klass(MIDDLE, explore, "Exploring Languages", [T["morales"]], by_grade["06"][:12], [QUARTERS[0]["id"]], "7", "Room 104")
stem = course(MIDDLE, "STEM Project Lab", "SCI-STEM", "science", "06,07,08")
klass(MIDDLE, stem, "STEM Project Lab", [T["adeyemi"]], rng.sample(every, 20), [SPRING["id"]], "8", "Science Lab")

# The elementary school: self-contained homerooms teach every core subject.
E = ELEMENTARY_TEACHERS
homerooms = {"03": [E["grade3a"], E["grade3b"]], "04": [E["grade4"]], "05": [E["grade5a"], E["grade5b"]]}
for grade, teachers in homerooms.items():
    pupils = [s for s in elementary_students if s["grade"] == grade]
    for subject in ["math", "ela", "science", "social"]:
        c = course(ELEMENTARY, f"Grade {int(grade)} {titles[subject]}", f"{subject.upper()}-{grade}", subject, grade)
        for index, teacher in enumerate(teachers):
            section = pupils[index::len(teachers)]
            letter = "AB"[index] if len(teachers) > 1 else ""
            klass(ELEMENTARY, c, f"Grade {int(grade)}{letter} {titles[subject]}", [teacher], section, FULL_YEAR, "1", f"Room {int(grade)}0{index + 1}")
ell = [s for s in elementary_students if s["enabled"]]
iv = course(ELEMENTARY, "Reading Support", "ELA-RS", "ela", "03,04,05")
klass(ELEMENTARY, iv, "Reading Support", [E["interventionist"]], rng.sample(ell, 10), [SPRING["id"]], "2", "Room 110", subjects=False)
es_spanish = course(ELEMENTARY, "Spanish Club", "SPAN-C", "spanish", "04,05")
klass(ELEMENTARY, es_spanish, "Spanish Club", [T["morales"]], rng.sample(ell[24:], 10), FULL_YEAR, "3", "Room 110")


# --- writing ------------------------------------------------------------------------------------------
def write(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buffer.getvalue())


def role_12(user, org):
    """OneRoster 1.2 splits 1.1's `administrator` by where they administer."""
    if user["role"] != "administrator":
        return user["role"]
    return "districtAdministrator" if org == DISTRICT["id"] else "principal"


def export(version):
    out = os.path.join(HERE, "district" if version == "1.1" else "district-1.2")
    files = ["academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
             "demographics", "enrollments", "lineItems", "orgs", "resources", "results", "users"]
    if version == "1.2":
        files += ["roles", "userProfiles", "scoreScales", "lineItemScoreScales", "resultScoreScales",
                  "lineItemLearningObjectiveIds", "resultLearningObjectiveIds", "userResources"]
    present = {"academicSessions", "classes", "courses", "enrollments", "orgs", "users", "roles"}
    manifest = [["manifest.version", "1.0"], ["oneroster.version", version]]
    manifest += [[f"file.{name}", "bulk" if name in present else "absent"] for name in sorted(files)]
    manifest += [["source.systemName", "Cedar Valley SIS"], ["source.systemCode", "CVSIS"]]
    write(f"{out}/manifest.csv", ["propertyName", "value"], manifest)
    rec = ["sourcedId", "status", "dateLastModified"]
    write(f"{out}/orgs.csv", rec + ["name", "type", "identifier", "parentSourcedId"], [
        [DISTRICT["id"], "", "", DISTRICT["name"], "district", DISTRICT["identifier"], ""],
        [MIDDLE["id"], "", "", MIDDLE["name"], "school", MIDDLE["identifier"], DISTRICT["id"]],
        [ELEMENTARY["id"], "", "", ELEMENTARY["name"], "school", ELEMENTARY["identifier"], DISTRICT["id"]]])
    write(f"{out}/academicSessions.csv", rec + ["title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"],
          [[s["id"], "", "", s["title"], s["type"], s["start"], s["end"], s["parent"], "2027"] for s in SESSIONS])
    write(f"{out}/courses.csv", rec + ["schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"],
          [[c["id"], "", "", YEAR["id"], c["title"], c["code"], c["grades"], c["org"], c["subjects"], c["subjectCodes"]] for c in courses])
    write(f"{out}/classes.csv", rec + ["title", "grades", "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId",
                                       "termSourcedIds", "subjects", "subjectCodes", "periods"],
          [[c["id"], "", "", c["title"], c["grades"], c["course"], c["code"], c["type"], c["location"], c["school"],
            ",".join(c["terms"]), c["subjects"], c["subjectCodes"], c["periods"]] for c in classes])
    write(f"{out}/enrollments.csv", rec + ["classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"],
          [[e["id"], "", "", e["class"], e["school"], e["user"], e["role"], e["primary"], "", ""] for e in enrollments])
    enabled = lambda u: "true" if u["enabled"] else "false"
    if version == "1.1":
        write(f"{out}/users.csv", rec + ["enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName",
                                         "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"],
              [[u["id"], u["status"], "", enabled(u), ",".join(u["orgs"]), u["role"], u["username"], "", u["given"], u["family"],
                "", u["identifier"], u["email"], "", "", "", u["grade"], ""] for u in users])
    else:
        write(f"{out}/users.csv", rec + ["enabledUser", "username", "userIds", "givenName", "familyName", "middleName", "identifier",
                                         "email", "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier",
                                         "resourceSourcedIds", "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
                                         "primaryOrgSourcedId", "pronouns"],
              [[u["id"], u["status"], "", enabled(u), u["username"], "", u["given"], u["family"], "", u["identifier"], u["email"],
                "", "", "", u["grade"], "", "", "", u["preferred"], "", "", u["orgs"][0], ""] for u in users])
        role_rows = []
        for u in users:
            for index, org in enumerate(u["orgs"]):
                role_rows.append([str(uuid.uuid5(uuid.NAMESPACE_URL, f"role:{u['id']}:{org}")), "", "", u["id"],
                                  "primary" if index == 0 else "secondary", role_12(u, org), "", "", org, ""])
        write(f"{out}/roles.csv", rec + ["userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"], role_rows)


export("1.1")
export("1.2")

# --- the middle school's week ---------------------------------------------------------------------------
# Ten classrooms and five days of six blocks: 300 room-blocks and (with the limits below) about 300
# teacher-blocks, for a demand the generator keeps near a third of that (printed when it runs).
week = f"""# Cedar Valley Middle School — what its OneRoster export does not say (written by generate.py).
# Import: flexsched import oneroster Scenarios/oneroster-sample/district --school CVMS \\
#           --week Scenarios/oneroster-sample/WEEK.yaml --needs Scenarios/oneroster-sample/NEEDS.csv --out cvms.yaml
name: Cedar Valley Middle School — Spring 2027 flex week
timezone: America/Los_Angeles
days: [mon, tue, wed, thu, fri]
blocks:
  - {{id: b1, start: "08:30", end: "09:15"}}
  - {{id: b2, start: "09:20", end: "10:05"}}
  - {{id: b3, start: "10:15", end: "11:00"}}
  - {{id: b4, start: "11:05", end: "11:50"}}
  - {{id: b5, start: "12:35", end: "13:20", break-before: true}}
  - {{id: b6, start: "13:25", end: "14:10"}}
modalities:
  tutoring: {{min: 1, max: 3, teacher: true}}
  small-group: {{min: 3, max: 6, teacher: true, room-features: [collaboration], level-spread: 2}}
  independent: {{min: 2, max: 12, teacher: false, room-features: [quiet]}}
  project: {{min: 3, max: 5, teacher: true, room-features: [collaboration], length: 2}}
rooms:
  - {{id: r101, name: Room 101, capacity: 28, features: [collaboration, accessible]}}
  - {{id: r102, name: Room 102, capacity: 28, features: [collaboration, accessible]}}
  - {{id: r103, name: Room 103, capacity: 28, features: [collaboration]}}
  - {{id: r104, name: Room 104, capacity: 24, features: [collaboration, accessible]}}
  - {{id: science-lab, name: Science Lab, capacity: 24, features: [collaboration, lab, accessible]}}
  - {{id: library, name: Library, capacity: 30, features: [quiet, accessible]}}
  - {{id: study-hall, name: Study Hall, capacity: 16, features: [quiet]}}
  - {{id: tutor-a, name: Tutoring Room A, capacity: 4, features: [quiet, accessible]}}
  - {{id: tutor-b, name: Tutoring Room B, capacity: 4, features: [quiet]}}
  - {{id: tutor-c, name: Tutoring Room C, capacity: 4}}
# Every subject value of the school's classes (and their courses) -> flexsched subject id.
subjects:
  Mathematics: math
  English Language Arts: reading
  Science: science
  Social Studies: history
  World Languages: spanish
# Limits the SIS does not hold, matched to the roster by sourcedId.
teachers:
  - {{id: {T["brooks"]["id"]}, max-per-day: 4}}        # {T["brooks"]["given"]} {T["brooks"]["family"]}: also coaches
  - {{id: {T["morales"]["id"]}, unavailable: [fri]}}   # {T["morales"]["given"]} {T["morales"]["family"]}: at Birchwood on Fridays
  - {{id: {T["nguyen"]["id"]}, max-per-week: 20}}      # {T["nguyen"]["given"]} {T["nguyen"]["family"]}: case management time
  - {{id: {T["chen"]["id"]}, unavailable: [mon.b1, mon.b2], prefer-not: [fri.b6]}}  # {T["chen"]["given"]} {T["chen"]["family"]}
"""
with open(os.path.join(HERE, "WEEK.yaml"), "w", encoding="utf-8") as f:
    f.write(week)

# --- the middle school's learning plans -------------------------------------------------------------
# Which active teachers can lead each flexsched subject (from the classes they teach).
teachers_of = {"math": ["rivera", "okonkwo", "chen", "nguyen"], "reading": ["sullivan", "haddad", "kowalski", "nguyen"],
               "science": ["patel", "chen", "adeyemi"], "history": ["brooks", "kowalski"], "spanish": ["morales"]}
class_teacher = {}  # (student, subject) -> the teacher of her class, whom she may prefer
for grade, subjects in core.items():
    for subject, teachers in subjects.items():
        flex = {"math": "math", "ela": "reading", "science": "science", "social": "history"}[subject]
        for s in by_grade[grade]:
            class_teacher[(s["id"], flex)] = teachers[0]
iep = {s["id"] for s in rng.sample(every, 10)}  # students whose plans mandate support
rows = []
demand = {}
for s in every:
    level = {"06": 3, "07": 4, "08": 5}[s["grade"]]
    options = ["math", "reading", "science", "history"] + (["spanish"] if s in spanish_students else [])
    weights = {"math": 5, "reading": 5, "science": 3, "history": 2, "spanish": 3}
    chosen = []
    while len(chosen) < rng.choice([2, 3, 3, 4]) and len(chosen) < len(options):
        subject = rng.choices(options, [weights[o] for o in options])[0]
        if subject not in chosen:
            chosen.append(subject)
    for index, subject in enumerate(chosen):
        modality = rng.choices(["tutoring", "small-group", "independent", "project"], [2, 5, 3, 1 if subject == "science" else 0])[0]
        sessions = {"tutoring": rng.choice([1, 2]), "small-group": rng.choice([1, 2, 3]), "independent": rng.choice([1, 2]),
                    "project": 1}[modality]
        priority, teacher, prefer, lvl = "", "", "", ""
        if s["id"] in iep and index == 0:
            subject, modality, sessions, priority = ("math" if rng.random() < 0.5 else "reading"), "tutoring", 2, "mandated"
            teacher = T["nguyen"]["id"]
        elif rng.random() < 0.15:
            priority = rng.choice(["high", "low"])
        if modality in ("small-group", "project") and subject in ("math", "reading"):
            lvl = str(max(1, min(8, level + rng.choice([-2, -1, 0, 0, 1]))))
        if not teacher and modality in ("tutoring", "small-group") and rng.random() < 0.3 and (s["id"], subject) in class_teacher:
            candidate = class_teacher[(s["id"], subject)]
            if candidate["enabled"]:
                prefer = candidate["id"]
        if any(r[1] == subject and r[2] == modality and r[0] in (s["identifier"], s["id"]) for r in rows):
            continue
        # The plans come from an assessment tool keyed by student number; a few were typed by sourcedId.
        who = s["id"] if rng.random() < 0.1 else s["identifier"]
        rows.append([who, subject, modality, str(sessions), priority, lvl, teacher, prefer])
        demand[(subject, modality)] = demand.get((subject, modality), 0) + sessions * (2 if modality == "project" else 1)
# A group modality needs at least three students sharing the need; fewer get tutoring instead.
for subject, modality in [key for key in demand if key[1] in ("small-group", "project")]:
    sharing = [r for r in rows if r[1] == subject and r[2] == modality]
    if len(sharing) < 3:
        for r in sharing:
            if any(o[0] == r[0] and o[1] == subject and o[2] == "tutoring" for o in rows):
                rows.remove(r)
            else:
                r[2], r[5] = "tutoring", ""
        demand[(subject, "tutoring")] = demand.get((subject, "tutoring"), 0) + demand.pop((subject, modality))
write(os.path.join(HERE, "NEEDS.csv"), ["student", "subject", "modality", "sessions", "priority", "level", "teacher", "prefer-teacher"], rows)

# What OneRoster does not carry, kept by the school's special-education office (imported with
# --students): accessible rooms, therapy pull-outs, a daily limit, two students kept in other groups.
wheelchair = rng.sample(every, 3)
therapy = rng.sample([s for s in every if s not in wheelchair], 4)
settings = [[s["identifier"], "", "accessible", "", ""] for s in wheelchair]
settings += [[s["identifier"], rng.choice(["mon.b2", "tue.b3", "wed.b5", "thu.b1"]), "", rng.choice(["", "3"]), ""] for s in therapy]
first, second = rng.sample([s for s in every if s not in wheelchair and s not in therapy], 2)
settings.append([first["identifier"], "", "", "", second["identifier"]])
write(os.path.join(HERE, "STUDENTS.csv"), ["student", "unavailable", "requires", "max-per-day", "apart"], settings)

if __name__ == "__main__":
    led = sum(v for (sub, mod), v in demand.items() if mod != "independent")
    print(f"{len(every)} active CVMS students, {len(rows)} needs; student-blocks by subject and modality:")
    for key in sorted(demand):
        print(f"  {key[0]:8} {key[1]:12} {demand[key]:4}")
    print(f"teacher-led student-blocks {led} (at worst one session each, against ~300 teacher-blocks)")
