import Fluent

/// Every schema change in order. Landed migrations are never edited: a change is a new one.
enum PantauMigrations {
    static let all: [any Migration] = [
        // 001: the plan model.
        CreateScoringScheme(),
        SeedOGIScoringScheme(),
        CreateOrganisation(),
        CreateUser(),
        CreateActionPlan(),
        CreateCommitment(),
        CreateMatrix(),
        CreateSystemSetting(),
        // 002: accounts in use, and the audit history.
        SessionRecord.migration,
        CreateAccess(),
        CreateAuditEntry(),
        // 003: the semester reporting cycle.
        CreateReporting(),
        CreateMeeting(),
        // 004: the evaluation report.
        CreateEvaluationNote(),
        CreateSearchIndex(),
        // 005: co-creation of the next plan.
        CreateCoCreation(),
        // 006: results that can be trusted: publication reasons, years, corrections.
        CreatePeriodResults(),
        // 007: hardening: sessions that end.
        UpdateSessionsAddExpiry(),
        // 008: sessions know their account and sign-in, for resets and an absolute lifetime.
        UpdateSessionsAddAccount(),
        // 009: indexes on the columns rows are looked up by.
        CreateLookupIndexes(),
        // 010: a big plan is written faster without an index that repeats another.
        DropRedundantTargetIndex(),
        // 011: accounts can be deactivated.
        UpdateUsersAddDeactivation(),
        // 012: messages on a report say what they are; staff notes stay with staff.
        UpdateReportMessagesAddKind(),
        // 013: search stems Indonesian words the same way on both databases.
        UpdateSearchIndexAddTerms(),
        // 014: PostgreSQL's search vectors written by Pantau, for a faster import of a big plan.
        UpdateSearchIndexAddVector(),
        // 015: many plans: jurisdictions, archived plans, plans given to accounts.
        CreateJurisdictions(),
        // 016: independent monitors' assessments.
        CreateMonitorAssessments(),
        // 017: when minutes were published, for a plan's minimum requirements.
        UpdateMeetingsAddPublishedAt(),
        // 018: which plan each change touched, so that a change empties only its own plan's cached results.
        CreatePlanChanges(),
        // 019: the working-day calendar (holidays and collective leave) that deadlines count around.
        CreateHolidays(),
        // 020: notifications in the app and by email (their outbox), each account's choices and language.
        CreateNotifications(),
        // 021: reminders on the app's clock (each event once), clarification deadlines, daily digests.
        CreateNotificationSchedule(),
        // 022: public followers of a plan or a commitment by email, and their emails.
        CreateFollowers(),
        // 023: generated passwords and tokens on their way to the page that shows them, readable by every server process.
        CreateOneTimeSecrets(),
        // 024: the dated co-creation timeline of each draft plan.
        AddCoCreationTimeline(),
        // 025: agencies (K/L) proposing commitments where the secretariat allows it.
        AddAgenciesMayPropose(),
        // 026: each plan's multi-stakeholder forum and its members.
        CreateForumMembers(),
    ]
}
