package dev.sluice.generate;

import java.util.List;

/** Fixed vocabularies the generator draws from. Merchant names are invented so none is a real business. */
final class RetailData {
    private RetailData() {
    }

    static final String[] FIRST_NAMES = {
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
            "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
            "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
            "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
            "Jose", "Maria", "Luis", "Sofia", "Carlos", "Camila", "Wei", "Mei", "Hiroshi", "Yuki", "Arjun", "Priya",
            "Omar", "Fatima", "Dmitri", "Olga", "Kwame", "Amara", "Liam", "Olivia", "Noah", "Emma", "Ethan", "Ava",
            "Lucas", "Mia", "Mason", "Harper", "Logan", "Chloe"};

    static final String[] LAST_NAMES = {
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
            "Chen", "Wang", "Kim", "Patel", "Singh", "Tanaka", "Sato", "Ivanova", "Okafor", "Mensah",
            "O'Brien", "McCarthy", "Van Dyke", "De La Cruz", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Reed"};

    static final String[] EMAIL_DOMAINS = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
            "aol.com", "protonmail.com", "comcast.net"};
    static final double[] EMAIL_DOMAIN_WEIGHTS = {40, 15, 14, 10, 9, 4, 3, 5};

    /** state, weight (roughly population), area code, cities. */
    record State(String code, double weight, String areaCode, String[] cities) {
    }

    static final List<State> STATES = List.of(
            new State("CA", 39, "415", new String[]{"Los Angeles", "San Diego", "San Jose", "San Francisco", "Sacramento"}),
            new State("TX", 30, "512", new String[]{"Houston", "Dallas", "Austin", "San Antonio", "Fort Worth"}),
            new State("FL", 22, "305", new String[]{"Miami", "Orlando", "Tampa", "Jacksonville"}),
            new State("NY", 20, "212", new String[]{"New York", "Buffalo", "Rochester", "Albany"}),
            new State("PA", 13, "215", new String[]{"Philadelphia", "Pittsburgh", "Allentown"}),
            new State("IL", 12.5, "312", new String[]{"Chicago", "Aurora", "Naperville", "Springfield"}),
            new State("OH", 11.8, "614", new String[]{"Columbus", "Cleveland", "Cincinnati"}),
            new State("GA", 11, "404", new String[]{"Atlanta", "Savannah", "Augusta"}),
            new State("NC", 10.7, "704", new String[]{"Charlotte", "Raleigh", "Durham"}),
            new State("MI", 10, "313", new String[]{"Detroit", "Grand Rapids", "Ann Arbor"}),
            new State("NJ", 9.3, "201", new String[]{"Newark", "Jersey City", "Trenton"}),
            new State("VA", 8.7, "703", new String[]{"Virginia Beach", "Arlington", "Richmond"}),
            new State("WA", 7.8, "206", new String[]{"Seattle", "Spokane", "Tacoma"}),
            new State("AZ", 7.4, "602", new String[]{"Phoenix", "Tucson", "Mesa"}),
            new State("MA", 7, "617", new String[]{"Boston", "Worcester", "Cambridge"}),
            new State("CO", 5.9, "303", new String[]{"Denver", "Colorado Springs", "Boulder"}),
            new State("MN", 5.7, "612", new String[]{"Minneapolis", "Saint Paul", "Duluth"}),
            new State("OR", 4.2, "503", new String[]{"Portland", "Eugene", "Salem"}),
            new State("NV", 3.2, "702", new String[]{"Las Vegas", "Reno", "Henderson"}),
            new State("UT", 3.4, "801", new String[]{"Salt Lake City", "Provo", "Ogden"}));

    static final String[] STREETS = {"Maple", "Oak", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
            "Sunset", "River", "Highland", "Forest", "Church", "Meadow", "Spring", "Willow", "Jefferson", "Lincoln",
            "Franklin", "Madison", "Chestnut", "Walnut", "Cherry", "Birch", "Ridge", "Valley", "Mill", "Harbor"};
    static final String[] STREET_SUFFIXES = {"Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Place"};
    /** The postal abbreviations of STREET_SUFFIXES, in the same order. */
    static final String[] STREET_ABBREVIATIONS = {"St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Pl"};

    static final String[] EMPLOYMENT = {"Employed", "Self-Employed", "Part-Time", "Student", "Retired", "Unemployed"};
    static final String[] CARD_TYPES = {"Platinum", "Travel Rewards", "Gold", "Cashback", "Classic", "Secured"};

    static final String[] CATEGORIES = {"Grocery", "Restaurants", "Travel", "Airlines", "Hotels", "Gas",
            "Online Retail", "Electronics", "Entertainment", "Healthcare", "Utilities", "Apparel"};
    /** Median ticket in dollars and log-normal spread, per category (same order). */
    static final double[] CATEGORY_MEDIAN = {62, 36, 310, 420, 260, 44, 52, 230, 29, 85, 118, 68};
    static final double[] CATEGORY_SIGMA = {0.5, 0.6, 0.7, 0.55, 0.6, 0.35, 0.8, 0.9, 0.7, 0.8, 0.35, 0.7};

    static final String[][] MERCHANTS = {
            {"FreshCart Market", "Green Basket Grocers", "Harvest Lane Foods", "Corner Pantry", "ValuSave Supermarket", "Maple & Main Grocery"},
            {"Blue Fig Bistro", "Rocket Burger", "Saffron Table", "Luna Pizza Co", "Harbor Noodle House", "Morning Crumb Cafe", "Ember Grill"},
            {"Wayfarer Travel", "Globe Trek Tours", "Compass Rail", "Sunline Cruises", "RoadRunner Car Rental"},
            {"Skyward Airlines", "Pacific Crest Air", "Northstar Airways", "Jetlink Express"},
            {"Grand Meridian Hotel", "Harborview Inn", "Summit Suites", "Cypress Resort & Spa", "StayEasy Lodge"},
            {"FuelStop", "Prairie Petroleum", "QuickPump Gas", "Coastal Fuel"},
            {"ShopSphere", "ParcelPeak", "Bazaar Online", "DailyDeal Hub", "CartNova"},
            {"Circuit Barn", "VoltMart Electronics", "Pixel & Port", "GadgetGrove"},
            {"Starlight Cinemas", "StreamBox", "Arcadia Games", "Ticket Tower", "Melody Music Hall"},
            {"CarePoint Pharmacy", "Riverside Clinic", "BrightSmile Dental", "Wellness Way Labs"},
            {"Metro Power & Light", "ClearWater Utility", "Cascade Telecom", "CityNet Broadband"},
            {"Threadline Apparel", "Urban Loom", "Summit Outfitters", "Velvet Lane Boutique", "Stride Shoes"}};

    static final String[] CHANNELS = {"Online", "In-Store", "Mobile"};
}
