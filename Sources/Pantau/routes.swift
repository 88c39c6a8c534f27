import Vapor

/// Every route of Pantau with who may call it, so the whole surface and its permissions are visible in one place.
/// Bodies are read only after the policy passed (`body:` is the limit); `query:` names the query parameters a page reads.
func routes(_ app: Application) throws {
    let pages = PlanPageController()
    app.on(.GET, policy: .everyone, use: pages.plans)
    app.on(.GET, "plans", policy: .everyone, use: pages.plans)
    app.on(.GET, "plans", ":code", policy: .everyone, use: pages.plan)
    app.on(.GET, "plans", ":code", "commitments", ":number", policy: .everyone, use: pages.commitment)

    app.on(.GET, "feed.atom", policy: .everyone, use: FeedController().atom)

    let search = SearchController()
    app.on(.GET, "search", policy: .everyone, query: ["q", "kind", "plan"], use: search.page)

    let openData = OpenDataController()
    app.on(.GET, "data", policy: .everyone, use: openData.dictionary)
    app.on(.GET, "data", ":file", policy: .everyone, query: ["plan"], use: openData.download)

    let dashboards = DashboardController()
    app.on(.GET, "plans", ":code", "dashboard", policy: .everyone, use: dashboards.plan)
    app.on(.GET, "organisations", ":id", policy: .everyone, use: dashboards.organisation)

    let files = PlanFileController()
    app.on(.GET, "plans", ":code", "export", ":format", policy: .everyone, use: files.download)

    let sessions = SessionController()
    app.on(.GET, "login", policy: .everyone, query: ["next"], use: sessions.form)
    app.on(.POST, "login", policy: .everyone, use: sessions.login)
    app.on(.POST, "logout", policy: .signedIn, use: sessions.logout)

    app.on(.GET, "work", policy: .signedIn, use: WorkController().page)

    let account = AccountController()
    app.on(.GET, "account", policy: .signedIn, use: account.page)
    app.on(.POST, "account", "tokens", policy: .signedIn, use: account.createToken)
    app.on(.POST, "account", "tokens", ":id", "revoke", policy: .signedIn, use: account.revokeToken)

    let admin = AdminController()
    app.on(.GET, "admin", policy: .secretariat, use: admin.home)
    app.on(.GET, "admin", "organisations", policy: .secretariat, use: admin.organisations)
    app.on(.POST, "admin", "organisations", policy: .secretariat, use: admin.createOrganisation)
    app.on(.POST, "admin", "organisations", ":id", policy: .secretariat, use: admin.updateOrganisation)
    app.on(.GET, "admin", "users", policy: .secretariat, use: admin.users)
    app.on(.POST, "admin", "users", policy: .secretariat, use: admin.createUser)
    app.on(.GET, "admin", "users", ":id", policy: .secretariat, use: admin.user)
    app.on(.POST, "admin", "users", ":id", policy: .secretariat, use: admin.updateUser)
    app.on(.POST, "admin", "users", ":id", "deactivate", policy: .secretariat, use: admin.deactivateUser)
    app.on(.POST, "admin", "users", ":id", "reactivate", policy: .secretariat, use: admin.reactivateUser)
    app.on(.GET, "admin", "users", ":id", "reset-password", policy: .secretariat, use: admin.confirmReset)
    app.on(.POST, "admin", "users", ":id", "reset-password", policy: .secretariat, use: admin.resetPassword)
    app.on(.GET, "admin", "users", ":id", "password", policy: .secretariat, use: admin.oncePassword)
    app.on(.GET, "admin", "plans", policy: .secretariat, use: files.page)
    app.on(.POST, "admin", "plans", policy: .secretariat, body: .collect(maxSize: ByteCount(value: PlanFiles.maximumSize + 1_000_000)),
           use: files.upload)

    let reports = ReportController()
    app.on(.GET, "report", policy: .implementer, use: reports.owed)
    app.on(.GET, "report", "targets", ":id", policy: .implementer, use: reports.show)
    // The one report form: text, progress, an answer, evidence, and save or submit.
    app.on(.POST, "report", "targets", ":id", policy: .implementer,
           body: .collect(maxSize: ByteCount(value: app.evidenceStore.maximumSize + 1_000_000)), use: reports.save)

    let evidence = EvidenceController()
    app.on(.GET, "evidence", ":id", policy: .everyone, use: evidence.download)

    let verify = VerifyController()
    app.on(.GET, "verify", policy: .readAll, query: ["plan", "semester", "status", "organisation"], use: verify.queue)
    app.on(.GET, "verify", "reports", ":id", policy: .readAll, use: verify.report)
    app.on(.POST, "verify", "reports", ":id", "clarify", policy: .secretariat, use: verify.clarify)
    app.on(.POST, "verify", "reports", ":id", "score", policy: .secretariat, use: verify.score)
    app.on(.POST, "verify", "reports", ":id", "comment", policy: .readAll, use: verify.comment)
    app.on(.GET, "verify", "plans", ":code", ":period", policy: .readAll, use: verify.assessments)
    app.on(.POST, "verify", "plans", ":code", ":period", ":commitment", policy: .secretariat, use: verify.assess)

    let semesters = SemesterAdminController()
    app.on(.GET, "admin", "semesters", policy: .secretariat, use: semesters.page)
    app.on(.POST, "admin", "semesters", ":id", "window", policy: .secretariat, use: semesters.setWindow)
    app.on(.POST, "admin", "semesters", ":id", "reopen", policy: .secretariat, use: semesters.reopen)
    let publication = PublicationController()
    app.on(.GET, "admin", "plans", ":code", "publish", ":period", policy: .secretariat, use: publication.page)
    app.on(.POST, "admin", "plans", ":code", "publish", ":period", policy: .secretariat, use: publication.publish)

    let evaluation = EvaluationController()
    app.on(.GET, "plans", ":code", "report", policy: .everyone, query: ["period", "year"], use: evaluation.page)
    app.on(.GET, "plans", ":code", "report.csv", policy: .everyone, query: ["period", "year"], use: evaluation.csv)
    app.on(.POST, "plans", ":code", "report", "notes", policy: .secretariat, use: evaluation.saveNotes)

    let meetings = MeetingController()
    app.on(.GET, "meetings", policy: .everyone, use: meetings.list)
    app.on(.GET, "meetings", "new", policy: .roles([.implementer, .secretariat]), use: meetings.form)
    app.on(.POST, "meetings", policy: .roles([.implementer, .secretariat]),
           body: .collect(maxSize: ByteCount(value: app.evidenceStore.maximumSize + 1_000_000)), use: meetings.create)
    app.on(.GET, "meetings", ":id", policy: .everyone, use: meetings.show)
    app.on(.POST, "meetings", ":id", "publish", policy: .secretariat, use: meetings.publish)
    app.on(.GET, "meetings", "attachments", ":id", policy: .everyone, use: meetings.attachment)

    let cocreation = CoCreationController()
    app.on(.GET, "cocreation", policy: .everyone, use: cocreation.hub)
    app.on(.POST, "cocreation", "plans", policy: .secretariat, use: cocreation.createPlan)
    app.on(.GET, "cocreation", "plans", ":code", policy: .everyone, use: cocreation.plan)
    app.on(.POST, "cocreation", "plans", ":code", "phases", policy: .secretariat, use: cocreation.setPhases)
    app.on(.POST, "cocreation", "plans", ":code", "adopt", policy: .secretariat, use: cocreation.adopt)
    app.on(.GET, "cocreation", "plans", ":code", "proposals", "new", policy: .implementer, use: cocreation.proposalForm)
    app.on(.POST, "cocreation", "plans", ":code", "proposals", policy: .implementer, use: cocreation.submitProposal)
    app.on(.GET, "cocreation", "plans", ":code", "comments", policy: .readAll, use: cocreation.comments)
    app.on(.POST, "cocreation", "comments", ":id", policy: .secretariat, use: cocreation.moderate)
    app.on(.GET, "proposals", ":id", policy: .signedIn, use: cocreation.proposal)
    app.on(.POST, "proposals", ":id", "stages", policy: .secretariat, use: cocreation.recordStage)
    app.on(.GET, "plans", ":code", "commitments", ":number", "comment", policy: .everyone, use: cocreation.commentForm)
    app.on(.POST, "plans", ":code", "commitments", ":number", "comment", policy: .everyone, use: cocreation.submitComment)

    let editor = CommitmentEditorController()
    app.on(.GET, "plans", ":code", "commitments", ":number", "edit", policy: .secretariat, use: editor.form)
    app.on(.POST, "plans", ":code", "commitments", ":number", "edit", policy: .secretariat, use: editor.save)
    app.on(.GET, "plans", ":code", "versions", policy: .everyone, use: editor.versions)
    app.on(.GET, "plans", ":code", "versions", ":version", policy: .everyone, use: editor.version)
    app.on(.GET, "plans", ":code", "versions", ":version", "plan.json", policy: .everyone, use: editor.versionFile)

    let api = app.grouped("api", "v1")
    let plans = API.PlanController()
    api.on(.GET, "openapi.json", policy: .everyone, use: plans.openAPIDocument)
    api.on(.GET, "plans", policy: .everyone, use: plans.index)
    api.on(.GET, "plans", ":code", policy: .everyone, use: plans.show)
    api.on(.GET, "plans", ":code", "commitments", ":number", policy: .everyone, use: plans.commitment)

    let reporting = API.ReportingController()
    let uploadLimit = ByteCount(value: app.evidenceStore.maximumSize + 1_000_000)
    api.on(.GET, "reporting", "targets", policy: .implementer, use: reporting.owed)
    api.on(.GET, "reporting", "targets", ":id", "report", policy: .implementer, use: reporting.targetReport)
    api.on(.PUT, "reporting", "targets", ":id", "report", policy: .implementer, use: reporting.saveDraft)
    api.on(.POST, "reporting", "targets", ":id", "report", "evidence", policy: .implementer, body: .collect(maxSize: uploadLimit),
           use: reporting.addEvidence)
    api.on(.POST, "reporting", "targets", ":id", "report", "submit", policy: .implementer, use: reporting.submit)
    api.on(.GET, "reports", ":id", policy: .everyone, use: reporting.report)
    api.on(.POST, "reports", ":id", "messages", policy: .signedIn, use: reporting.message)
    api.on(.POST, "reports", ":id", "clarification", policy: .secretariat, use: reporting.clarification)
    api.on(.POST, "reports", ":id", "score", policy: .secretariat, use: reporting.score)
    api.on(.GET, "verification", "reports", policy: .readAll, query: ["plan", "semester", "status"], use: reporting.verificationQueue)
    api.on(.PUT, "plans", ":code", "semesters", ":semester", "window", policy: .secretariat, use: reporting.setWindow)
    for (kind, period): (PathComponent, PathComponent) in [("semesters", ":semester"), ("years", ":year")] {
        api.on(.PUT, "plans", ":code", kind, period, "assessments", ":number", policy: .secretariat, use: reporting.assess)
        api.on(.GET, "plans", ":code", kind, period, "publication-check", policy: .secretariat, use: reporting.publicationCheck)
        api.on(.POST, "plans", ":code", kind, period, "publish", policy: .secretariat, use: reporting.publish)
        api.on(.GET, "plans", ":code", kind, period, "results", policy: .everyone, use: reporting.results)
    }
    api.on(.GET, "plans", ":code", "report", policy: .everyone, query: ["period", "year"], use: evaluation.json)
    api.on(.GET, "search", policy: .everyone, query: ["q", "kind", "plan"], use: search.api)
    api.on(.GET, "plans", ":code", "dashboard", policy: .everyone, use: dashboards.dashboardAPI)
    api.on(.GET, "organisations", ":id", policy: .everyone, use: dashboards.scorecardAPI)
    api.on(.GET, "meetings", policy: .everyone, use: meetings.listAPI)
    api.on(.GET, "meetings", ":id", policy: .everyone, use: meetings.showAPI)
    let cocreationAPI = API.CoCreationController()
    api.on(.GET, "plans", ":code", "versions", policy: .everyone, use: cocreationAPI.versions)
    api.on(.GET, "plans", ":code", "versions", ":version", policy: .everyone, use: cocreationAPI.version)
    api.on(.GET, "plans", ":code", "commitments", ":number", "comments", policy: .everyone, use: cocreationAPI.comments)
}
