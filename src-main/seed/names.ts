import { Rng, WeightedTable } from './prng';

/**
 * Demo member names: mostly Chinese (family name by its real frequency, one- or two-character
 * given name), about a fifth Latin-script (English given names with Chinese or Western family
 * names, pinyin), a few members without a name.
 */

/** The commonest Chinese family names with their approximate share of the population (%). */
const FAMILY: readonly (readonly [string, number])[] = [
  ['王', 7.12], ['李', 7.07], ['张', 6.62], ['刘', 5.43], ['陈', 4.53], ['杨', 3.08], ['黄', 2.22], ['赵', 2.19],
  ['吴', 2.05], ['周', 1.88], ['徐', 1.62], ['孙', 1.49], ['马', 1.33], ['朱', 1.29], ['胡', 1.25], ['郭', 1.19],
  ['何', 1.13], ['高', 1.03], ['林', 1.01], ['罗', 0.94], ['郑', 0.9], ['梁', 0.88], ['谢', 0.79], ['宋', 0.7],
  ['唐', 0.69], ['许', 0.65], ['韩', 0.62], ['冯', 0.61], ['邓', 0.6], ['曹', 0.59], ['彭', 0.55], ['曾', 0.54],
  ['肖', 0.52], ['田', 0.51], ['董', 0.5], ['袁', 0.49], ['潘', 0.48], ['于', 0.47], ['蒋', 0.46], ['蔡', 0.45],
  ['余', 0.44], ['杜', 0.43], ['叶', 0.42], ['程', 0.41], ['苏', 0.4], ['魏', 0.39], ['吕', 0.38], ['丁', 0.37],
  ['任', 0.36], ['沈', 0.35], ['姚', 0.34], ['卢', 0.33], ['姜', 0.32], ['崔', 0.31], ['钟', 0.3], ['谭', 0.29],
  ['陆', 0.28], ['汪', 0.27], ['范', 0.26], ['金', 0.25], ['石', 0.24], ['廖', 0.23], ['贾', 0.22], ['夏', 0.21],
  ['韦', 0.2], ['付', 0.2], ['方', 0.19], ['白', 0.18], ['邹', 0.18], ['孟', 0.17], ['熊', 0.17], ['秦', 0.16],
  ['邱', 0.16], ['江', 0.15], ['尹', 0.15], ['薛', 0.14], ['闫', 0.14], ['段', 0.13], ['雷', 0.13], ['侯', 0.12],
  ['龙', 0.12], ['史', 0.11], ['陶', 0.11], ['黎', 0.1], ['贺', 0.1], ['顾', 0.1], ['毛', 0.1], ['郝', 0.09],
  ['龚', 0.09], ['邵', 0.09], ['万', 0.09], ['钱', 0.08], ['严', 0.08], ['覃', 0.08], ['武', 0.08], ['戴', 0.08],
  ['莫', 0.07], ['孔', 0.07], ['向', 0.07], ['汤', 0.07],
  // Two-character family names (always with a one-character given name here, so 3 characters).
  ['欧阳', 0.03], ['司马', 0.006], ['上官', 0.006], ['诸葛', 0.005],
];

const GIVEN_ONE = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华红玲飞鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晶婷琳雪颖倩慧莉萍燕兰梅波鑫晨阳博文亮峰雷',
];

const GIVEN_TWO = [
  '子轩', '浩然', '梓涵', '欣怡', '一诺', '宇轩', '雨桐', '思远', '佳怡', '俊杰', '嘉怡', '晓明', '秀英', '桂英', '建华', '建国',
  '志强', '海燕', '丽华', '玉兰', '红梅', '春梅', '小红', '小明', '文杰', '天宇', '家豪', '雅婷', '诗涵', '子涵', '梦琪', '佳琪',
  '若曦', '晨曦', '一鸣', '明轩', '博文', '思彤', '雨萱', '紫涵', '俊熙', '宇航', '浩宇', '子豪', '欣妍', '晓东', '晓燕', '建军',
  '国强', '淑珍', '凤英', '秀兰', '玉梅', '金凤', '志刚', '海涛', '德明', '永强', '立新', '卫东', '秀珍', '丽娟', '美玲', '雪梅',
];
const GIVEN_FIRST = [...'子梓浩宇欣思雨佳俊嘉晓文天家雅诗梦若晨一明博紫志海建国秀玉丽美春小永立德凤金'];
const GIVEN_SECOND = [...'轩然涵怡诺桐远杰明英华强燕琪曦鸣文彤萱熙航宇豪妍东军珍兰梅刚涛新玲娟峰辉凯婷晴阳'];

const ENGLISH_GIVEN = [
  'Alice', 'Amy', 'Angela', 'Anna', 'Bella', 'Catherine', 'Cherry', 'Cindy', 'Crystal', 'Daisy', 'Emily', 'Emma', 'Grace',
  'Helen', 'Iris', 'Ivy', 'Jenny', 'Jessica', 'Joyce', 'Karen', 'Kelly', 'Lily', 'Linda', 'Lucy', 'Maggie', 'Mandy',
  'Mary', 'Michelle', 'Nancy', 'Olivia', 'Peggy', 'Rachel', 'Sandy', 'Sophia', 'Stella', 'Tina', 'Vivian', 'Winnie',
  'Aaron', 'Alan', 'Alex', 'Andy', 'Ben', 'Brian', 'Charles', 'Chris', 'Daniel', 'David', 'Eric', 'Frank', 'Gary',
  'Henry', 'Jack', 'Jacky', 'James', 'Jason', 'Jerry', 'Jimmy', 'John', 'Johnny', 'Kevin', 'Leo', 'Martin', 'Michael',
  'Oscar', 'Patrick', 'Peter', 'Raymond', 'Richard', 'Ryan', 'Sam', 'Simon', 'Steven', 'Thomas', 'Tony', 'Vincent', 'William',
  'Zoë', 'Chloé', 'José', 'Renée',
];
const ROMANISED_FAMILY = [
  'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'Lin',
  'Wong', 'Chan', 'Cheung', 'Lau', 'Ho', 'Ng', 'Leung', 'Lam', 'Tang', 'Cheng', 'Lee', 'Yip', 'Tsang', 'Kwok', 'Chow',
];
const WESTERN_FAMILY = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore',
  'Martin', 'Clark', 'Lewis', 'Walker', 'Young', 'King', 'Scott', 'Green', 'Baker', 'Müller', 'Schmidt', 'García', 'Martínez',
  'Dubois', 'Rossi', 'Kowalski', "O'Brien", 'Nguyen', 'Kim', 'Park', 'Tanaka', 'Sato',
];
const PINYIN_GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Li', 'Qiang', 'Lei', 'Jun', 'Yang', 'Yong', 'Yan', 'Jie', 'Tao', 'Ming', 'Chao', 'Xiaoming', 'Haoran', 'Zixuan', 'Yutong'];

const family = new WeightedTable(FAMILY);

export type NameKind = 'chinese' | 'latin' | 'none';

export function chineseName(rng: Rng): string {
  const fam = family.draw(rng);
  if (fam.length > 1 || rng.chance(0.3)) return fam + rng.pick(GIVEN_ONE);
  return fam + (rng.chance(0.6) ? rng.pick(GIVEN_TWO) : rng.pick(GIVEN_FIRST) + rng.pick(GIVEN_SECOND));
}

export function latinName(rng: Rng): string {
  const r = rng.next();
  if (r < 0.45) return `${rng.pick(ENGLISH_GIVEN)} ${rng.pick(ROMANISED_FAMILY)}`;
  if (r < 0.7) return `${rng.pick(ENGLISH_GIVEN)} ${rng.pick(WESTERN_FAMILY)}`;
  if (r < 0.9) return `${rng.pick(ROMANISED_FAMILY)} ${rng.pick(PINYIN_GIVEN)}`;
  return rng.pick(ENGLISH_GIVEN);
}

/** About 75% Chinese, 20% Latin-script, 5% no name. */
export function demoName(rng: Rng): { kind: NameKind; name: string | null } {
  const r = rng.next();
  if (r < 0.75) return { kind: 'chinese', name: chineseName(rng) };
  if (r < 0.95) return { kind: 'latin', name: latinName(rng) };
  return { kind: 'none', name: null };
}
