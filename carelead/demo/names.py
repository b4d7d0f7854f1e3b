"""Word lists for the demo data: people's names, fictional place names, care home names, password words.

The lists are CareLead's own. Names reflect the mix of England's health and care workforce; places are
invented compounds so no demo organisation claims to be a real one.
"""

# Name groups: (female first names, male first names, surnames).
NAME_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "british": (
        (
            "Olivia", "Amelia", "Emily", "Sophie", "Jessica", "Charlotte", "Hannah", "Lucy", "Rebecca", "Laura",
            "Sarah", "Emma", "Rachel", "Claire", "Helen", "Katie", "Natalie", "Gemma", "Kerry", "Joanne",
            "Nicola", "Louise", "Victoria", "Amy", "Lauren", "Chloe", "Megan", "Holly", "Elizabeth", "Susan",
            "Karen", "Julie", "Alison", "Jane", "Deborah", "Tracey", "Lisa", "Michelle", "Samantha", "Jennifer",
            "Zoe", "Abigail", "Eleanor", "Georgia", "Bethany", "Ellie", "Grace", "Ruth", "Catherine", "Jacqueline",
        ),
        (
            "Oliver", "George", "Harry", "Jack", "Thomas", "James", "William", "Daniel", "Matthew", "Christopher",
            "Andrew", "David", "Michael", "Paul", "Mark", "Richard", "Stephen", "Robert", "Peter", "John",
            "Simon", "Ian", "Gary", "Lee", "Craig", "Adam", "Ben", "Samuel", "Joseph", "Luke",
            "Ryan", "Liam", "Callum", "Jamie", "Nathan", "Alexander", "Edward", "Philip", "Martin", "Stuart",
        ),
        (
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
            "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
            "Harris", "Lewis", "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris",
            "King", "Watson", "Harrison", "Morgan", "Baker", "Young", "Allen", "Mitchell", "Parker", "Bennett",
            "Cook", "Bell", "Shaw", "Carter", "Phillips", "Marshall", "Richardson", "Collins", "Chapman", "Ellis",
            "Webb", "Hunt", "Fletcher", "Holmes", "Lloyd", "Price", "Barnes", "Knight", "Stevens", "Dixon",
        ),
    ),
    "irish": (
        ("Aoife", "Siobhán", "Niamh", "Ciara", "Orla", "Sinéad", "Róisín", "Gráinne", "Maeve", "Bridget",
         "Mary", "Aisling", "Clodagh", "Deirdre"),
        ("Seán", "Ciarán", "Declan", "Pádraig", "Eoin", "Conor", "Niall", "Cormac", "Fergal", "Liam",
         "Kieran", "Brendan", "Dermot", "Colm"),
        ("Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill", "Doyle",
         "McCarthy", "Gallagher", "Kennedy", "Lynch", "Quinn", "Brennan", "Fitzgerald", "Doherty", "Nolan",
         "Keane"),
    ),
    "european": (
        ("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Anna", "Maria", "Ioana", "Elena", "Andreea", "Ana",
         "Inês", "Beatriz", "Giulia", "Francesca", "Chiara", "Lucía", "Carmen", "Marta", "Eleni", "Rūta",
         "Zsófia", "Desislava", "Monika", "Ewa", "Alina", "Daniela", "Sofia", "Irina"),
        ("Piotr", "Tomasz", "Krzysztof", "Marcin", "Andrei", "Mihai", "Alexandru", "Ionuț", "João", "Pedro",
         "Tiago", "Marco", "Luca", "Giuseppe", "Javier", "Pablo", "Carlos", "Nikos", "Dimitrios", "Tomas",
         "Mantas", "Gábor", "Georgi", "Łukasz", "Paweł", "Stefan", "Vasile"),
        ("Nowak", "Wójcik", "Mazur", "Krawczyk", "Zając", "Popescu", "Ionescu", "Popa", "Dumitru", "Stan",
         "Silva", "Santos", "Ferreira", "Pereira", "Costa", "Rossi", "Russo", "Ferrari", "Esposito", "García",
         "Martínez", "López", "Fernández", "Papadopoulos", "Georgiou", "Kazlauskas", "Nagy", "Horváth",
         "Dimitrov", "Ivanov", "Petrov", "Novak"),
    ),
    "caribbean": (
        ("Shanice", "Keisha", "Tanisha", "Marcia", "Beverley", "Jasmine", "Simone", "Andrea", "Paulette",
         "Yvonne", "Leanne", "Chantelle", "Monique", "Sharon", "Donna", "Natasha"),
        ("Marcus", "Jerome", "Tyrone", "Winston", "Delroy", "Leon", "Andre", "Darren", "Nathaniel", "Clive",
         "Errol", "Dwayne", "Kareem", "Jermaine", "Devon", "Trevor"),
        ("Campbell", "Thompson", "Brown", "Williams", "Clarke", "Francis", "Grant", "Henry", "Reid", "Stewart",
         "Samuels", "Bailey", "Gordon", "Morgan", "Richards", "Forbes", "Edwards", "Walters", "Powell",
         "Johnson"),
    ),
    "african": (
        ("Adaeze", "Chioma", "Ngozi", "Funmilayo", "Folake", "Abimbola", "Oluwaseun", "Adwoa", "Akosua",
         "Abena", "Efua", "Nomvula", "Tendai", "Rutendo", "Chipo", "Blessing", "Precious", "Grace", "Mercy",
         "Esther", "Faith", "Joy", "Comfort", "Amina", "Hodan", "Wanjiru"),
        ("Chinedu", "Emeka", "Obinna", "Oluwaseun", "Adebayo", "Babatunde", "Olumide", "Kwame", "Kofi",
         "Kwabena", "Yaw", "Tatenda", "Farai", "Tinashe", "Samuel", "Emmanuel", "Daniel", "Joseph", "Ibrahim",
         "Abdi", "Mohamed", "Kamau"),
        ("Okafor", "Okonkwo", "Eze", "Nwosu", "Adeyemi", "Oyelaran", "Adebayo", "Ogunleye", "Balogun",
         "Mensah", "Asante", "Owusu", "Boateng", "Osei", "Appiah", "Moyo", "Ncube", "Dube", "Chikwanha",
         "Mutasa", "Banda", "Phiri", "Abdullahi", "Hassan", "Warsame", "Kamara", "Otieno", "Mwangi"),
    ),
    "indian": (
        ("Priya", "Anjali", "Pooja", "Neha", "Sunita", "Kavita", "Deepa", "Meera", "Asha", "Rekha", "Divya",
         "Shreya", "Harpreet", "Gurpreet", "Manpreet", "Simran", "Jaspreet", "Amrit", "Lakshmi", "Nisha",
         "Sonia", "Anita"),
        ("Rajesh", "Sanjay", "Vikram", "Amit", "Rohit", "Arjun", "Anil", "Suresh", "Ravi", "Nikhil", "Rahul",
         "Karthik", "Harjit", "Gurdeep", "Jaswinder", "Manjit", "Kuldip", "Sukhdev", "Deepak", "Vivek",
         "Arun", "Pranav"),
        ("Patel", "Sharma", "Singh", "Kumar", "Gupta", "Shah", "Mehta", "Joshi", "Desai", "Reddy", "Nair",
         "Menon", "Iyer", "Pillai", "Rao", "Chauhan", "Mistry", "Parmar", "Gill", "Sandhu", "Dhillon", "Sidhu",
         "Bains", "Chopra", "Malhotra", "Bhatt", "Verma", "Mehra"),
    ),
    "south_asian_muslim": (
        ("Ayesha", "Fatima", "Zainab", "Sana", "Nadia", "Amina", "Farah", "Rubina", "Shazia", "Nazia", "Saima",
         "Hina", "Maryam", "Sadia", "Tahmina", "Nasreen", "Rukhsana", "Hafsa", "Iqra", "Safiya"),
        ("Mohammed", "Muhammad", "Imran", "Asif", "Tariq", "Kamran", "Faisal", "Adnan", "Bilal", "Zubair",
         "Arif", "Shahid", "Rizwan", "Usman", "Hamza", "Abdul", "Rashid", "Saiful", "Shahidul", "Rahim"),
        ("Khan", "Ahmed", "Ali", "Hussain", "Iqbal", "Akhtar", "Shah", "Mahmood", "Rashid", "Malik", "Butt",
         "Chaudhry", "Raza", "Mirza", "Qureshi", "Uddin", "Islam", "Rahman", "Miah", "Hoque", "Chowdhury",
         "Sheikh", "Siddiqui", "Anwar"),
    ),
    "other_asian": (
        ("Maria", "Rosario", "Marites", "Jocelyn", "Maricel", "Rowena", "Cristina", "Analyn", "Jennylyn",
         "Lovely", "Mary Ann", "Rhea", "Sheila", "Tharshini", "Nirmala", "Sabina", "Sarita", "Laxmi"),
        ("Jose", "Juan", "Mark Anthony", "Rodel", "Romeo", "Arnel", "Reynaldo", "Jerome", "Joel", "Rommel",
         "Ramon", "Kumaran", "Thivakaran", "Bishnu", "Ramesh", "Dipak", "Minh", "Anh"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Dela Cruz", "Ramos", "Aquino",
         "Villanueva", "Castillo", "Flores", "Navarro", "Gonzales", "Sivakumar", "Rajan", "Thapa", "Gurung",
         "Rai", "Tamang", "Perera", "Fernando", "Jayasinghe", "Nguyen", "Tran"),
    ),
    "chinese": (
        ("Mei", "Li", "Xin", "Ying", "Hui", "Jing", "Wen", "Yan", "Fang", "Lan", "Xiaoling", "Hong", "Jia",
         "Ling", "Qian", "Rui"),
        ("Wei", "Jun", "Hao", "Lei", "Jian", "Ming", "Cheng", "Tao", "Yang", "Bo", "Feng", "Kai", "Zhi",
         "Long"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
         "Hu", "Lin", "Guo", "He", "Chan", "Wong", "Cheung", "Leung", "Lau", "Ho"),
    ),
    "middle_eastern": (
        ("Layla", "Noor", "Yasmin", "Rania", "Huda", "Leila", "Samira", "Mariam", "Reem", "Dina", "Aylin",
         "Elif", "Zeynep", "Shirin", "Parisa", "Golnaz", "Hana", "Sara"),
        ("Ahmad", "Omar", "Youssef", "Khalid", "Karim", "Tarek", "Hassan", "Hussein", "Samir", "Mehmet", "Emre",
         "Murat", "Reza", "Ali", "Amir", "Dariush", "Nabil", "Ziad"),
        ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farouk", "Aziz", "Hamdan", "Abbas", "Yılmaz",
         "Kaya", "Demir", "Çelik", "Şahin", "Hosseini", "Ahmadi", "Karimi", "Rezaei", "Mousavi", "Al-Sayed",
         "El-Amin", "Darwish"),
    ),
}

# Which name groups people recorded under each ethnic category tend to carry: (first-name mix, surname mix).
# Mixed categories draw first name and surname independently, as mixed-heritage names do.
NAME_MIX_BY_ETHNICITY: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "A": ({"british": 0.96, "irish": 0.04}, {"british": 0.95, "irish": 0.05}),
    "B": ({"irish": 0.8, "british": 0.2}, {"irish": 0.85, "british": 0.15}),
    "C": ({"european": 0.85, "british": 0.15}, {"european": 0.85, "british": 0.15}),
    "D": ({"british": 0.5, "caribbean": 0.5}, {"british": 0.5, "caribbean": 0.5}),
    "E": ({"british": 0.5, "african": 0.5}, {"british": 0.6, "african": 0.4}),
    "F": ({"british": 0.5, "indian": 0.3, "south_asian_muslim": 0.2},
          {"british": 0.6, "indian": 0.25, "south_asian_muslim": 0.15}),
    "G": ({"british": 0.4, "caribbean": 0.2, "middle_eastern": 0.2, "other_asian": 0.2},
          {"british": 0.5, "caribbean": 0.2, "middle_eastern": 0.15, "other_asian": 0.15}),
    "H": ({"indian": 1.0}, {"indian": 1.0}),
    "J": ({"south_asian_muslim": 1.0}, {"south_asian_muslim": 1.0}),
    "K": ({"south_asian_muslim": 1.0}, {"south_asian_muslim": 1.0}),
    "L": ({"other_asian": 0.85, "indian": 0.15}, {"other_asian": 0.85, "indian": 0.15}),
    "M": ({"caribbean": 0.6, "british": 0.4}, {"caribbean": 0.7, "british": 0.3}),
    "N": ({"african": 1.0}, {"african": 1.0}),
    "P": ({"african": 0.5, "caribbean": 0.5}, {"african": 0.5, "caribbean": 0.5}),
    "R": ({"chinese": 0.85, "british": 0.15}, {"chinese": 1.0}),
    "S": ({"middle_eastern": 0.8, "other_asian": 0.2}, {"middle_eastern": 0.85, "other_asian": 0.15}),
}

# Religion or belief as ESR records it, weighted by name group (a rough association, never used to decide anything).
RELIGION_DECLINED = "I do not wish to disclose my religion/belief"
RELIGION_BY_GROUP: dict[str, dict[str, float]] = {
    "christian_majority": {"Christianity": 0.46, "Atheism": 0.24, "Other": 0.04, "Buddhism": 0.005,
                           "Judaism": 0.005, RELIGION_DECLINED: 0.16, "": 0.09},
    "indian": {"Hinduism": 0.5, "Sikhism": 0.22, "Christianity": 0.08, "Islam": 0.04, "Atheism": 0.03,
               RELIGION_DECLINED: 0.08, "": 0.05},
    "south_asian_muslim": {"Islam": 0.86, RELIGION_DECLINED: 0.08, "": 0.06},
    "chinese": {"Atheism": 0.45, "Buddhism": 0.15, "Christianity": 0.2, RELIGION_DECLINED: 0.12, "": 0.08},
    "middle_eastern": {"Islam": 0.62, "Christianity": 0.15, "Atheism": 0.08, RELIGION_DECLINED: 0.1, "": 0.05},
    "other_asian": {"Christianity": 0.7, "Hinduism": 0.08, "Buddhism": 0.08, RELIGION_DECLINED: 0.09, "": 0.05},
}
SEXUAL_ORIENTATIONS: dict[str, float] = {
    "Heterosexual or Straight": 0.78,
    "Gay or Lesbian": 0.02,
    "Bisexual": 0.016,
    "Other sexual orientation not listed": 0.003,
    "Undecided": 0.003,
    "Not stated (person asked but declined to provide a response)": 0.1,
    "": 0.078,
}

# Invented place names: a prefix and a suffix, e.g. "Hartbury" or "Wrenford".
PLACE_PREFIXES = (
    "Ash", "Bark", "Beck", "Bram", "Brook", "Clay", "Crow", "Dun", "Elm", "Fair", "Fern", "Glen", "Hart",
    "Hazel", "Holm", "Kings", "Lark", "Lin", "Marl", "Mere", "Mill", "Moor", "Nether", "Oak", "Pen",
    "Queens", "Rad", "Raven", "Red", "Rush", "Salt", "Sand", "Shel", "Stan", "Stone", "Thorn", "Wal", "Wey",
    "Whit", "Wil", "Wold", "Wren", "Yar",
)
PLACE_SUFFIXES = (
    "bury", "by", "combe", "dale", "den", "field", "ford", "gate", "ham", "hurst", "ley", "minster", "mouth",
    "stead", "stow", "thorpe", "ton", "well", "wick", "worth", "bridge", "caster", "holme", "mere",
)

CARE_HOME_WORDS = (
    "Willow", "Oak", "Cedar", "Beech", "Rowan", "Maple", "Meadow", "Brook", "Ivy", "Heather", "Lavender",
    "Primrose", "Bluebell", "Orchard", "Riverside", "Hillside", "Abbey", "Church", "Elm", "Holly", "Laurel",
    "Linden", "Poplar", "Sycamore", "Chestnut", "Birch", "Hawthorn", "Juniper", "Magnolia", "Rosewood",
    "Fernlea", "Greenacres", "Sunnyside", "Fairview", "Kingfisher", "Swallow", "Hollybank", "Appletree",
    "Millbrook", "Larkspur",
)
CARE_HOME_NOUNS = ("Lodge", "House", "Court", "Manor", "Grange", "View", "Gardens", "Hall", "Park", "Place", "Mews")

# Short everyday words for memorable demo passwords (three words and two digits).
PASSWORD_WORDS = (
    "acorn", "amber", "anchor", "apple", "arrow", "aspen", "badger", "bamboo", "basil", "beacon", "birch",
    "bison", "blossom", "bracken", "breeze", "brook", "bubble", "button", "cabin", "cactus", "candle",
    "canyon", "carrot", "castle", "cedar", "cherry", "cinder", "clover", "cobalt", "comet", "copper", "coral",
    "cotton", "crane", "crystal", "daisy", "dawn", "delta", "dolphin", "dune", "eagle", "echo", "ember",
    "falcon", "fennel", "fern", "fiddle", "finch", "flint", "forest", "fossil", "garden", "garnet", "ginger",
    "glacier", "granite", "harbour", "hazel", "heron", "hollow", "honey", "island", "ivory", "jasmine",
    "juniper", "kettle", "kiwi", "lagoon", "lantern", "lark", "lemon", "lilac", "linen", "lotus", "maple",
    "marble", "meadow", "melon", "mint", "monsoon", "morning", "moss", "nectar", "nutmeg", "oak", "ocean",
    "olive", "orbit", "orchid", "otter", "paddle", "pebble", "pepper", "pine", "planet", "plum", "pollen",
    "poppy", "prairie", "puffin", "quartz", "quill", "rain", "raven", "reed", "ribbon", "river", "robin",
    "rocket", "saffron", "sage", "salmon", "sapphire", "shell", "silver", "sparrow", "spruce", "summit",
    "sunset", "swan", "thistle", "thunder", "tiger", "timber", "topaz", "tulip", "valley", "velvet",
    "violet", "walnut", "willow", "winter", "wren", "yarrow", "zephyr",
)
