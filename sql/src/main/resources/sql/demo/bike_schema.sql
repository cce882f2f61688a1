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

-- A day that arrives with a measurement missing keeps it missing (NULL): drift detection drops missing values per
-- column as Evidently does, and training leaves such days out.
CREATE TABLE current (LIKE reference INCLUDING ALL);
ALTER TABLE current
    ALTER COLUMN season DROP NOT NULL, ALTER COLUMN yr DROP NOT NULL, ALTER COLUMN mnth DROP NOT NULL,
    ALTER COLUMN holiday DROP NOT NULL, ALTER COLUMN weekday DROP NOT NULL, ALTER COLUMN workingday DROP NOT NULL,
    ALTER COLUMN weathersit DROP NOT NULL, ALTER COLUMN temp DROP NOT NULL, ALTER COLUMN atemp DROP NOT NULL,
    ALTER COLUMN hum DROP NOT NULL, ALTER COLUMN windspeed DROP NOT NULL, ALTER COLUMN casual DROP NOT NULL,
    ALTER COLUMN registered DROP NOT NULL, ALTER COLUMN cnt DROP NOT NULL;
