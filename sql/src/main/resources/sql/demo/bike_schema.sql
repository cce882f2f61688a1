-- Daily bike rentals (UCI Bike Sharing, day.csv). reference: the baseline window; current: what arrives later.
DROP TABLE IF EXISTS reference;
DROP TABLE IF EXISTS current;

CREATE TABLE reference (
    instant    bigint PRIMARY KEY,
    dteday     date NOT NULL UNIQUE,
    season     bigint NOT NULL,
    yr         bigint NOT NULL,
    mnth       bigint NOT NULL,
    holiday    bigint NOT NULL,
    weekday    bigint NOT NULL,
    workingday bigint NOT NULL,
    weathersit bigint NOT NULL,
    temp       double precision NOT NULL,
    atemp      double precision NOT NULL,
    hum        double precision NOT NULL,
    windspeed  double precision NOT NULL,
    casual     bigint NOT NULL,
    registered bigint NOT NULL,
    cnt        bigint NOT NULL
);

CREATE TABLE current (LIKE reference INCLUDING ALL);
