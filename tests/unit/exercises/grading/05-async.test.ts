import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('05-async');
