/**
 * The proportions the population is drawn from, each tied to the figure it is calibrated to in
 * /work/shared/reference/domain.md (section, then the source line it cites). Figures marked
 * [Inference] are our derivations, as in domain.md. Changing a number here changes the data.
 */

/**
 * Gender: 71% female, 24% male, rest other or not stated (§9.2, 001:735). FHIR administrative
 * gender has no "prefer not to say", so the remainder splits between other and unknown.
 */
export const GENDER = { female: 71, male: 24, other: 2, unknown: 3 } as const

/**
 * Age at referral. The SP Observatory's referral rates per 10,000 (65+ 9.16, 40-64 5.37,
 * 18-39 3.5, 0-17 0.21; §5.1, 001:757) weighted by England's population shares give roughly
 * 39% / 38% / 22% / 1% [Inference]. The TCF profile ("25-49 most reported, closely followed by the
 * over 65s", §9.2, 001:737) covers activity projects incl. young people's ones, so it is not used.
 */
export const AGE_BAND = {
  '13-17': 1, '18-39': 22, '40-64': 38, '65-79': 27, '80-95': 12
} as const
export const AGE_RANGE: Readonly<Record<keyof typeof AGE_BAND, readonly [number, number]>> = {
  '13-17': [13, 17], '18-39': [18, 39], '40-64': [40, 64], '65-79': [65, 79], '80-95': [80, 95]
}

/** 45% report a long-term condition or disability (§9.2, 001:767); some have two [Inference]. */
export const LONG_TERM_CONDITION_SHARE = 0.45
export const SECOND_CONDITION_SHARE = 0.25
/**
 * Conditions named by the sources: Thrive NEL's eligible LTCs asthma, chronic heart disease,
 * diabetes, hypertension, COPD (§8.1, 000:3, 000:23) and other cohorts (§5.2: dementia,
 * fibromyalgia, long covid, sight loss). Weights roughly follow prevalence [Inference].
 */
export const LONG_TERM_CONDITIONS = {
  hypertension: 24, diabetes: 16, asthma: 14, copd: 10, 'coronary-heart-disease': 10,
  fibromyalgia: 6, dementia: 5, 'long-covid': 6, 'sight-loss': 5, 'chronic-pain': 4
} as const

/**
 * Primary reason for referral: loneliness 42%, anxiety or depression 11%, about 40% "other"
 * (mostly general health and wellbeing), ~7% across the remaining template categories
 * (§5.2 and §10.4, 001:635, 001:645; category list 001:1820-1827).
 */
export const REFERRAL_REASON = {
  'loneliness-or-social-isolation': 42,
  'anxiety-or-depression': 11,
  'general-health-and-wellbeing': 40,
  'substance-misuse': 2,
  'domestic-abuse': 1,
  unemployed: 2.5,
  homelessness: 1.5
} as const

/**
 * Who referred into the PCN link-worker service: GP-dominant for PCN-hosted services, with
 * nurses, self-referral and other VCS services as routes (§5.1 and §10.4, 003:543, 003:155,
 * 003:164-166, 003:160-161). Split [Inference].
 */
export const REFERRAL_SOURCE = { gp: 60, 'practice-nurse': 10, self: 20, 'vcs-organisation': 10 } as const

/**
 * Fate of an episode. Take-up 82% ("eight in ten people referred into projects attended
 * sessions") and regular engagement 67% ("attending at least two thirds of the sessions") are
 * both read as shares of referrals (§5.3, 001:668-672, 001:687). The 18% who never attend are
 * split across the journey's exits (§4.2: S2 declined, S5 returned, S13 not attended, S21 lost
 * to contact) [Inference].
 */
export const EPISODE_FATE = {
  'engaged-regularly': 67,
  'engaged-irregularly': 15,
  'declined-at-contact': 7,
  'returned-to-referrer': 3,
  'not-contactable': 4,
  'did-not-attend-activity': 4
} as const
export const TAKE_UP_TARGET = 0.82
export const REGULAR_ENGAGEMENT_TARGET = 0.67

/**
 * Still engaged at the 6- and 12-month checks. SPRING: 35.9% / 18.3% of starts improved at the
 * 6- / 12-month checks, 85% of those assessed at 12 months improved (§8.2, 002:107-117); Thrive:
 * about half still in after a year (000:43). Giving roughly 44% of referrals a 6-month and 23% a
 * 12-month review reproduces those counts with the improvement rates below [Inference].
 */
export const REACHES_SIX_MONTH_REVIEW = { regular: 0.6, irregular: 0.25 } as const
export const REACHES_TWELVE_MONTH_REVIEW_AFTER_SIX = { regular: 0.55, irregular: 0.3 } as const
/** Leavers who close with goals achieved rather than drop out (S20 vs S21) [Inference]. */
export const LEAVERS_CLOSED_WITH_GOALS = 0.7

/** Some schemes deliberately score nobody (§7.1, 003:1043-1051); share [Inference]. */
export const NOT_SCORED_SHARE = 0.1

/** Re-referral after an episode ends (S22, inferred in §4.2); share [Inference]. */
export const SECOND_EPISODE_SHARE = 0.12

/** Onward referrals per engaged episode: usually one activity, sometimes more [Inference]. */
export const ACTIVITIES_PER_EPISODE = { 1: 70, 2: 25, 3: 5 } as const
/** A second or third activity is attended less often than the first [Inference]. */
export const EXTRA_ACTIVITY_ATTENDED = 0.75
/** Activity providers with a waiting list (S6; 003:649-651) [Inference]. */
export const ACTIVITY_WAITLISTED = 0.08
/** Link-worker services with a waiting list before first contact (S6) [Inference]. */
export const LINK_WORKER_WAITLISTED = 0.1

/**
 * Activity mix: arts and culture most frequent, then physical activity and natural environment
 * (§6.2, 001:693-699); one in five engaged with natural environment (001:1017). Categories are
 * the TCF template's (§9.1, 001:1820-1828).
 */
export const ACTIVITY_CATEGORY = {
  'arts-and-culture': 28,
  'physical-activity': 22,
  'natural-environment': 20,
  'financial-wellbeing': 10,
  'health-and-care': 8,
  education: 5,
  vcs: 4,
  'faith-group': 3
} as const

/** Typical activity: 6-8 weekly sessions (§4.2 S15, §10.4, 001:674, 001:1117). */
export const SESSIONS_PRESCRIBED: readonly [number, number] = [6, 8]

/** Referrals are spread over the last ~3 years: SPRING launched Apr 2021 (§8.1) [Inference]. */
export const HISTORY_DAYS = 3 * 365

/**
 * Organisation shape: PCNs of 5-6 practices (§10.4, 004:49, 001:911); one link-worker service
 * per PCN with 1-2 link workers (004:49). About 2,000 referrals per PCN over three years gives
 * PCN counts that scale with the population [Inference].
 */
export const PATIENTS_PER_PCN = 2000
export const PRACTICES_PER_PCN: readonly [number, number] = [5, 6]
export const LINK_WORKERS_PER_PCN: readonly [number, number] = [1, 2]
export const GPS_PER_PRACTICE: readonly [number, number] = [2, 4]
export const PCNS_PER_ICS = 12
/** VCFSE providers: TCF projects average 5 core and 14 wider partners (§10.2, 001:830) [Inference]. */
export const VCFSE_PER_PCN = 6
/** Even a small area has a choice of activities (TCF projects: 4-40 activities each, 001:693). */
export const MIN_VCFSE_PER_CARE_SYSTEM = 12
export const SERVICES_PER_VCFSE: readonly [number, number] = [1, 3]
