-- 0025: the energy an activity took, as its file or platform gives it (issue 20: Apple Health's
-- totalEnergyBurned, a TCX lap's Calories, a FIT session's total_calories), in kcal; NULL when not given.
ALTER TABLE activity ADD COLUMN energy_kcal INTEGER;
