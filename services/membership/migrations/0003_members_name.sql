-- ListMembers' name filter matches a prefix of the name (姓名前缀, e.g.
-- "王" or "王建") inside an org or subtree: this index keeps that a range
-- scan rather than a scan of every member.
CREATE INDEX members_name ON members (name, id);
