-- Every state change of a task instance rewrites the pages of each index on its state. The index on state alone
-- answers nothing that the index on (state, queued_at) does not, since state leads both: one index page less per
-- transition. Written for PostgreSQL and for H2 in MODE=PostgreSQL.
DROP INDEX task_instance_by_state;
