import { removeTempDirs } from './tempDirs';

afterAll(() => removeTempDirs());
