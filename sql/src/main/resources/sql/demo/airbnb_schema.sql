-- The tables of Kaggle's "Airbnb New User Bookings" (train_users_2.csv and sessions.csv), recreated empty.
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS users;

CREATE TABLE users (
    id                      varchar(10) PRIMARY KEY,
    date_account_created    date NOT NULL,
    timestamp_first_active  varchar(14) NOT NULL,   -- yyyyMMddHHmmss, as in the original export
    date_first_booking      timestamp,              -- NULL: never booked
    gender                  varchar(16) NOT NULL,   -- -unknown-, FEMALE, MALE, OTHER
    age                     numeric,                -- NULL when not given; outliers kept, as in the original
    signup_method           varchar(16) NOT NULL,
    signup_flow             integer NOT NULL,
    language                varchar(8) NOT NULL,
    affiliate_channel       varchar(32) NOT NULL,
    affiliate_provider      varchar(32) NOT NULL,
    first_affiliate_tracked varchar(32),
    signup_app              varchar(16) NOT NULL,
    first_device_type       varchar(32) NOT NULL,
    first_browser           varchar(32) NOT NULL
);

CREATE TABLE sessions (
    user_id       varchar(10) NOT NULL REFERENCES users (id),
    action        varchar(64),
    action_type   varchar(32),
    action_detail varchar(64),
    device_type   varchar(32),
    secs_elapsed  numeric                               -- NULL for the first action of a visit
);

CREATE INDEX sessions_user_id ON sessions (user_id);
