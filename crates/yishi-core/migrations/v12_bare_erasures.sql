-- yishi schema v12 (bare erasures): frozen as shipped; never edit this file.
-- An erased description is only the marker and the digest the chain covers. Earlier versions
-- kept the pseudonymised text after the digest, which the chain does not cover; it goes.
UPDATE events SET change = substr(change, 1, 76) || '"}'
 WHERE substr(change, 1, 12) = '{"_erased":"' AND length(change) > 78;
