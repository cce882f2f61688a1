-- Booking features: one row per user who has sessions, their activity rolled up and joined to their profile.
-- Session times are in seconds, rounded; actions without a recorded time count as actions but not in the times.
SELECT u.id AS user_id,
       u.gender,
       u.age,
       u.language,
       u.signup_method,
       u.date_account_created,
       s.number_of_actions_taken,
       s.number_of_unique_actions,
       s.avg_session_time_seconds,
       s.min_session_time_seconds,
       s.max_session_time_seconds
FROM (
    SELECT user_id,
           count(*)                    AS number_of_actions_taken,
           count(DISTINCT action_type) AS number_of_unique_actions,
           round(avg(secs_elapsed))    AS avg_session_time_seconds,
           round(min(secs_elapsed))    AS min_session_time_seconds,
           round(max(secs_elapsed))    AS max_session_time_seconds
    FROM sessions
    GROUP BY user_id
) s
JOIN users u ON u.id = s.user_id
ORDER BY u.id;
