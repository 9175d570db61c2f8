/**
 * Small word lists for synthetic people, places and services. Nobody here is real; the lists are
 * short on purpose so generated names are recognisably made up and repeat often.
 */

export const GIVEN_NAMES = {
  female: ['Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Grace', 'Ruby', 'Freya', 'Priya', 'Aisha', 'Maria', 'Joan', 'Margaret', 'Patricia', 'Susan', 'Linda', 'Fatima', 'Chloe', 'Hannah', 'Zara'],
  male: ['Oliver', 'George', 'Harry', 'Jack', 'Noah', 'Mohammed', 'Arjun', 'David', 'John', 'Peter', 'Brian', 'Keith', 'Tomasz', 'Kwame', 'Samuel', 'Leo', 'Ravi', 'Colin', 'Dennis', 'Ethan'],
  neutral: ['Alex', 'Sam', 'Jordan', 'Charlie', 'Robin', 'Jamie', 'Taylor', 'Morgan']
} as const

export const FAMILY_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Khan',
  'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood',
  'Jackson', 'Clarke', 'Ahmed', 'Hussain', 'Begum', 'Nowak', 'Okafor', 'Mensah', 'Singh', 'Ali'
] as const

/**
 * Synthetic integrated care systems, each with the postcode districts its patients live in
 * (patients carry a postcode district only: the TCF template asks for "full or first 4 digits",
 * domain.md §9.1, and districts are enough for place-based dashboards).
 */
export const AREAS = [
  { name: 'Humber Estuary', districts: ['DN31', 'DN32', 'DN33', 'DN34', 'DN35', 'DN36', 'DN37', 'HU1', 'HU3', 'HU5', 'HU8', 'HU9'] },
  { name: 'Nene Valley', districts: ['NN1', 'NN2', 'NN3', 'NN4', 'NN5', 'NN8', 'NN10', 'NN15', 'NN16', 'NN17', 'NN18'] },
  { name: 'Tyne Coast', districts: ['NE1', 'NE4', 'NE6', 'NE15', 'NE25', 'NE28', 'NE29', 'NE30', 'NE33', 'NE34'] },
  { name: 'Severn Vale', districts: ['GL1', 'GL2', 'GL3', 'GL4', 'GL10', 'GL20', 'GL50', 'GL51', 'GL52', 'GL53'] },
  { name: 'Pennine Moors', districts: ['BB1', 'BB2', 'BB3', 'BB4', 'BB5', 'BB9', 'BB10', 'BB11', 'BB12', 'BB18'] },
  { name: 'Solent Shore', districts: ['SO14', 'SO15', 'SO16', 'SO17', 'SO19', 'SO50', 'PO1', 'PO2', 'PO3', 'PO4'] }
] as const

export const PLACE_WORDS = [
  'Riverside', 'Eastfield', 'Westgate', 'Northwood', 'Southbank', 'Millbrook', 'Oakdale', 'Ashby',
  'Hillcrest', 'Brookside', 'Meadowvale', 'Kingsway', 'Harbour', 'Castlefield', 'Greenhill', 'Fairview'
] as const

/** Activities per TCF category, from the named activities in domain.md §6.3. */
export const ACTIVITIES_BY_CATEGORY = {
  'arts-and-culture': ['Creative Wellbeing Workshops', 'Community Choir', 'Arts and Crafts Group', 'Photography Course', 'Drama Group', 'Ceramics Studio'],
  'physical-activity': ['Walking Group', 'Walking Football', 'Seated Yoga', 'Couch to 5k', 'Tai Chi', 'Tea Dance'],
  'natural-environment': ['Community Gardening', 'Allotment Group', 'Green Gym', 'Nature Buddies', 'Canal Clean-ups', 'Wildlife Walks'],
  'financial-wellbeing': ['Debt Advice', 'Benefits Advice', 'Money Management Workshops', 'Food Bank Support', 'Housing Advice'],
  'health-and-care': ['Dementia Activity Cafe', 'Fibromyalgia Support Group', 'Stress Control Course', 'Mindfulness Course', 'Healthy Eating Course'],
  education: ['Digital Skills', 'Book Club', 'Cookery Classes', 'Lifelong Learning', 'Woodwork for Wellbeing'],
  vcs: ['Befriending Service', 'Coffee Mornings', "Men's Shed", 'Peer Support Group', 'Knit and Natter'],
  'faith-group': ['Lunch Club', 'Community Meals', 'Compassionate Cafe']
} as const

export const PROVIDER_SUFFIXES = ['Community Trust', 'CIC', 'Voluntary Action', 'Community Association', 'Development Trust', 'Wellbeing Hub'] as const
