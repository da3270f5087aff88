/// What the OneRoster CSV binding (1EdTech, versions 1.1 and 1.2) puts in each file that an import
/// reads: the columns it must have to be usable and every other column the standard defines, so a
/// misspelt header is reported instead of a column of data being silently dropped.
enum OneRosterVersion: String, Sendable {
    case v1_1 = "1.1"
    case v1_2 = "1.2"
}

struct OneRosterFile: Sendable {
    /// The file name, which is also its manifest key after `file.`.
    let name: String
    let required: [String]
    let optional: [String]
    /// Without it no roster can be built; the others only add subjects and the term.
    let essential: Bool

    var manifestKey: String { "file." + name.dropLast(4) }

    static func all(_ version: OneRosterVersion) -> [OneRosterFile] {
        let record = ["status", "dateLastModified"]
        var files = [
            OneRosterFile(name: "orgs.csv", required: ["sourcedId", "name", "type"],
                          optional: record + ["identifier", "parentSourcedId"], essential: true),
            OneRosterFile(name: "academicSessions.csv", required: ["sourcedId", "title", "type", "startDate", "endDate", "schoolYear"],
                          optional: record + ["parentSourcedId"], essential: false),
            OneRosterFile(name: "courses.csv", required: ["sourcedId", "title", "orgSourcedId"],
                          optional: record + ["schoolYearSourcedId", "courseCode", "grades", "subjects", "subjectCodes"]
                              + (version == .v1_2 ? ["resourceSourcedIds"] : []), essential: false),
            OneRosterFile(name: "classes.csv", required: ["sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"],
                          optional: record + ["grades", "classCode", "location", "subjects", "subjectCodes", "periods"]
                              + (version == .v1_2 ? ["resourceSourcedIds"] : []), essential: true),
            OneRosterFile(name: "enrollments.csv", required: ["sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"],
                          optional: record + ["primary", "beginDate", "endDate"], essential: true),
        ]
        let contact = ["username", "userIds", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"]
        switch version {
        case .v1_1:
            files.insert(OneRosterFile(name: "users.csv", required: ["sourcedId", "enabledUser", "orgSourcedIds", "role", "givenName", "familyName"],
                                       optional: record + contact, essential: true), at: 1)
        case .v1_2:
            // 1.2 moved a user's role and schools out of users.csv into roles.csv.
            files.insert(OneRosterFile(name: "users.csv", required: ["sourcedId", "enabledUser", "givenName", "familyName"],
                                       optional: record + contact + ["userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
                                                                     "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns"],
                                       essential: true), at: 1)
            files.insert(OneRosterFile(name: "roles.csv", required: ["sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"],
                                       optional: record + ["beginDate", "endDate", "userProfileSourcedId"], essential: true), at: 2)
        }
        return files
    }

    /// The user roles each version defines.
    static func roles(_ version: OneRosterVersion) -> [String] {
        switch version {
        case .v1_1: ["administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"]
        case .v1_2: ["aide", "counselor", "districtAdministrator", "guardian", "parent", "principal", "proctor", "relative",
                     "siteAdministrator", "student", "systemAdministrator", "teacher"]
        }
    }
}
