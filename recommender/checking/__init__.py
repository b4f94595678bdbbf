"""Checking: the tools that prove the rules safe and show what a change to them does, beside
the engine and never below it. What the rules mean (`rulelogic`), tiers that must fill
(`coverage`), the safety promises (`safety`) over every possible intake (`answerspace`,
`verification`), worked cases (`cases`) and rules diffs (`rulesdiff`)."""
