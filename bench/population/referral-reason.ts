/** ServiceRequest.reasonCode for the TCF primary reasons (domain.md §5.2, 001:1820-1827). */
import type { CodeableConcept } from '@medplum/fhirtypes'
import { GATEWAY, SOCIAL_ISOLATION } from './code-systems.js'
import type { ReferralReason } from './episode-plan.js'

const DISPLAY: Record<ReferralReason, string> = {
  'loneliness-or-social-isolation': 'Loneliness or social isolation',
  'anxiety-or-depression': 'Anxiety or depression',
  'general-health-and-wellbeing': 'Other: general health and wellbeing',
  'substance-misuse': 'Substance misuse',
  'domestic-abuse': 'Domestic abuse',
  unemployed: 'Unemployed',
  homelessness: 'Homelessness'
}

export function referralReason (reason: ReferralReason): CodeableConcept {
  const local = { system: GATEWAY.referralReason, code: reason, display: DISPLAY[reason] }
  // Loneliness also carries the SNOMED finding Gravity uses (standards.md §4.1) for national queries.
  return {
    coding: reason === 'loneliness-or-social-isolation' ? [local, SOCIAL_ISOLATION] : [local],
    text: DISPLAY[reason]
  }
}
