-- unionhub_awards: competitions (劳动竞赛, 技能比武, 安康杯), their events,
-- judges, entrants and scores, and the nominations made from them.
-- Scores are hundredths of a point.

CREATE TABLE competitions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organizer_org_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  name VARCHAR(128) NOT NULL,
  year SMALLINT NOT NULL,
  status TINYINT NOT NULL,
  linked_program_id BIGINT NOT NULL DEFAULT 0,
  max_points_centi BIGINT NOT NULL,
  finished_on DATE NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY competitions_org (organizer_org_id, id),
  KEY competitions_kind (kind, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE competition_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  competition_id BIGINT NOT NULL,
  position SMALLINT NOT NULL,
  name VARCHAR(128) NOT NULL,
  weight_bp INT NOT NULL,
  UNIQUE KEY competition_events_name (competition_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE competition_judges (
  competition_id BIGINT NOT NULL,
  subject VARCHAR(128) NOT NULL,
  position SMALLINT NOT NULL,
  name VARCHAR(128) NOT NULL,
  PRIMARY KEY (competition_id, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A member entrant has member_id and an empty team_name; a team entrant
-- member_id 0 and its name. The unique key backs the handler's check that
-- nobody is registered twice.
CREATE TABLE competition_entrants (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  competition_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL DEFAULT 0,
  team_name VARCHAR(128) NOT NULL DEFAULT '',
  employer_org_id BIGINT NOT NULL,
  name VARCHAR(128) NOT NULL,
  employer_name VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY competition_entrants_who (competition_id, member_id, team_name,
                                       employer_org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A judge's current score of an entrant on an event (a correction replaces
-- it and counts up the revision).
CREATE TABLE competition_scores (
  competition_id BIGINT NOT NULL,
  entrant_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  judge VARCHAR(128) NOT NULL,
  points_centi BIGINT NOT NULL,
  revision INT NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (entrant_id, event_id, judge),
  KEY competition_scores_competition (competition_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which nominations came from which result.
CREATE TABLE competition_nominations (
  nomination_id BIGINT NOT NULL PRIMARY KEY,
  competition_id BIGINT NOT NULL,
  entrant_id BIGINT NOT NULL,
  overall_rank INT NOT NULL,
  points_centi BIGINT NOT NULL,
  KEY competition_nominations_competition (competition_id, entrant_id)
) ENGINE=InnoDB;
