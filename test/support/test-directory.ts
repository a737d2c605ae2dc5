/** A small directory for end-to-end tests: one training body answering in a channel, one cohort whose referent is bob. */
export const TEST_DIRECTORY_YAML = `
trainingBodies:
  - id: of-test
    name: Organisme Test
    aliases: [OT]
    receiver: { channel: support-of }
cohorts:
  - id: test-2026
    name: Test 2026
    trainingBody: of-test
    referents: [bob]
fallback:
  channel: tickets-en-attente
`;
