"""Fictitious answers to the AMI form (seed 003) for the twelve poles, shared by the demo writers.

Each pole has a hand-written `PoleStory`: what a coordinator could write about it, drawn from the
member table of seed 000 (sector, initiator, tools) but invented in every detail and figure. The
fact-bearing sentences (start year, members, status, head counts, local authorities' share of the
funding) are phrased from a few templates, chosen with a seeded `random.Random`, so that the field
extractor meets several wordings; `pole_answers` always gives the same text for the same seed.

`pole_facts` gives the structured fields these answers state (the values of the `applications`
columns), and `FACT_SOURCES` the question that states each one, so that tests can check the
extractor against what the generator meant. Across the twelve poles the answers use the vocabulary of
the five working angles and the five tools of the keyword dictionary (`mots_cles.yaml`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# The question whose answer states each structured field (see `fields.extract_fields`).
FACT_SOURCES: dict[str, str] = {
    "operationnel": "i1_operationnel",
    "annee_debut": "i1_operationnel",
    "nb_parties_prenantes": "i3_parties_prenantes",
    "nb_salaries": "i4_secteurs_statut",
    "nb_benevoles": "i4_secteurs_statut",
    "statut_juridique": "i4_secteurs_statut",
    "part_financement_collectivites": "i5_gouvernance",
    "periode_visite": "echeance_visite",
}

# The forms were filled in February 2015: "depuis 3 ans" in them means since 2012. (Not taken from
# `fields.CALL_YEAR`, which the extractor uses to read it back.)
WRITTEN_IN = 2015
_MONTHS = ("janvier", "mars", "avril", "juin", "septembre", "octobre", "novembre")


@dataclass(frozen=True)
class PoleStory:
    """What a fictitious coordinator writes about one pole; facts first, then the texts by question."""

    pole_id: str
    annee_debut: int
    membres: int
    salaries: int
    benevoles: int
    statut: str  # as written after "Statut :"
    statut_article: str  # with its article, after "La structure porteuse est"
    statut_juridique: str  # the label the field extractor gives for it
    part_collectivites: int | None  # % of the budget from local authorities, when the pole gives it
    echeance: str  # the period proposed for a visit, as the extractor keeps it
    echeance_detail: str
    histoire: str  # i1, after the sentence saying since when the pole works
    objectifs: tuple[str, str]  # i2, two paragraphs
    composition: str  # i3, who the members are (no figure followed by a member noun)
    origine: str  # i3, who started it and the role of the ESS networks
    secteurs: str  # i4, lower-case enumeration
    ancrage: str  # i4
    gouvernance: str  # i5
    partenaires: str  # i5
    financeurs: str  # i5, the local authorities that fund the pole
    financement: str  # i5, the funding sentence of a pole that gives no share
    resultats: str  # i6
    problematiques: str  # ii1
    objectifs_emploi: str  # ii2
    experiences: tuple[str, ...]  # ii3, one paragraph each
    projets: str  # ii4
    attente: str  # ii5, the pole's own expectation
    apport: str  # ii6, the pole's own contribution
    visite: str  # what a visit would show
    operationnel: bool = True
    situation: str = ""  # i1 of a pole still in project, instead of the templates
    statut_phrase: str = ""  # i4 status sentence, when the templates do not fit
    effectifs: str = ""  # i4 head counts ({salaries}, {benevoles}), when the templates do not fit


STORIES: tuple[PoleStory, ...] = (
    PoleStory(
        pole_id="sud_aquitain",
        annee_debut=2010,
        membres=42,
        salaries=7,
        benevoles=15,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=45,
        echeance="Au printemps 2016",
        echeance_detail="au moment du forum de l'emploi de la zone portuaire",
        histoire=(
            "Il est né de la volonté du CBE du Seignanx de faire travailler ensemble les entreprises de la "
            "zone industrialo-portuaire, les collectivités et les acteurs de l'emploi. Une chargée de "
            "mission anime la coopération à plein temps."
        ),
        objectifs=(
            "Le pôle mène un projet global de développement socio-économique au service des entreprises "
            "et des habitants du bassin de l'Adour.",
            "La coopération porte sur trois chantiers : anticiper les besoins en compétences par une "
            "démarche de GPECT, mettre en commun des services entre entreprises de la zone portuaire et "
            "ouvrir aux habitants les emplois qu'elles proposent.",
        ),
        composition=(
            "industriels et PME de la zone portuaire, communautés de communes, structures de l'insertion "
            "par l'activité économique, un organisme de formation et les services de l'emploi"
        ),
        origine=(
            "Le CBE du Seignanx est à l'origine de l'initiative et en assure l'animation ; les structures "
            "de l'ESS et leurs réseaux accueillent et accompagnent les personnes les plus éloignées de "
            "l'emploi."
        ),
        secteurs="logistique et industrie portuaires, bâtiment, services aux entreprises et aux personnes",
        ancrage=(
            "Le pôle intervient sur le Seignanx et le sud des Landes, en lien étroit avec l'agglomération "
            "bayonnaise."
        ),
        gouvernance=(
            "Un conseil d'administration à trois collèges (entreprises, collectivités, acteurs de l'emploi "
            "et de l'ESS) fixe les orientations et valide le programme d'actions."
        ),
        partenaires=(
            "Partenaires : Pôle emploi, la mission locale, la chambre de commerce et la Maison de l'emploi."
        ),
        financeurs="la communauté de communes, le département des Landes et la région",
        financement="",
        resultats=(
            "Depuis 2010, 180 personnes ont accédé à un emploi dans les entreprises de la zone, dont 60 % "
            "en CDI. La démarche de GPECT couvre aujourd'hui 35 entreprises et a permis de bâtir quatre "
            "parcours formatifs sur les métiers de la maintenance et de la logistique."
        ),
        problematiques=(
            "Le bassin compte près de 9 000 demandeurs d'emploi, dont 42 % inscrits depuis plus d'un an. "
            "Les entreprises portuaires peinent pourtant à recruter des soudeurs, des caristes et des "
            "techniciens de maintenance : une quarantaine de postes restent vacants chaque année. Les "
            "personnes peu qualifiées n'obtiennent souvent que des missions courtes, ce qui entretient la "
            "précarité de l'emploi."
        ),
        objectifs_emploi=(
            "Rapprocher les besoins des entreprises de la zone et les compétences des demandeurs d'emploi "
            "par une GPECT partagée. Construire des parcours formatifs qui alternent formation et mises en "
            "situation dans les entreprises membres. Améliorer les conditions de travail et la stabilité "
            "des emplois de la sous-traitance portuaire."
        ),
        experiences=(
            "Avec le GEIQ industrie du territoire, 14 demandeurs d'emploi ont suivi en 2014 un parcours "
            "qualifiant de soudeur ; 12 ont été embauchés à l'issue.",
            "Un groupe de travail rassemble chaque trimestre les responsables du personnel de huit "
            "entreprises pour partager leurs prévisions d'embauche : c'est le cœur de notre GPECT.",
        ),
        projets=(
            "Ouvrir d'ici la fin 2015, avec l'organisme de formation membre, une formation certifiante aux "
            "métiers de la logistique pour 12 stagiaires. Tester un emploi partagé de technicien de "
            "maintenance entre trois PME de la zone."
        ),
        attente=(
            "Comparer notre démarche de GPECT avec celles d'autres territoires et mieux mesurer ses effets "
            "sur l'accès à l'emploi des habitants."
        ),
        apport=(
            "Notre expérience de la GPECT et les outils construits avec les entreprises portuaires : fiches "
            "métiers, tableau de bord des recrutements, calendrier des besoins."
        ),
        visite=(
            "La coopération avec les industriels de la zone portuaire et le groupe de travail GPECT. Des "
            "salariés embauchés après un parcours qualifiant pourront témoigner."
        ),
    ),
    PoleStory(
        pole_id="laine_saugues",
        annee_debut=2011,
        membres=23,
        salaries=3,
        benevoles=40,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=60,
        echeance="En juin 2016",
        echeance_detail="pendant la fête de la tonte",
        histoire=(
            "La coopération est partie des Ateliers de la Bruyère, chantier d'insertion qui lave et "
            "transforme la laine des éleveurs du plateau. Elle s'est élargie peu à peu aux artisans et aux "
            "acteurs du tourisme."
        ),
        objectifs=(
            "Relancer et structurer la filière laine du Pays de Saugues, de la tonte à la vente de "
            "produits finis, au service du développement du territoire.",
            "Les membres coopèrent sur la collecte, le lavage et la transformation de la laine, la vente "
            "commune et l'accueil touristique autour du savoir-faire lainier.",
        ),
        composition=(
            "éleveurs, artisans, chantier d'insertion, office de tourisme, communes et associations "
            "culturelles"
        ),
        origine=(
            "Les Ateliers de la Bruyère, structure de l'insertion par l'activité économique, sont à "
            "l'origine de l'initiative. Les réseaux de l'ESS apportent un appui méthodologique et relient "
            "le pôle aux autres filières textiles solidaires."
        ),
        secteurs="élevage ovin, transformation textile, artisanat, tourisme et culture",
        ancrage="Le pôle est ancré sur le Pays de Saugues, territoire rural de montagne de Haute-Loire.",
        gouvernance=(
            "Le conseil d'administration rassemble éleveurs, artisans, salariés et élus ; chaque collège "
            "dispose d'une voix égale."
        ),
        partenaires="Partenaires : le parc naturel, la chambre d'agriculture et un lycée agricole.",
        financeurs="la communauté de communes, le département de la Haute-Loire et la région",
        financement="",
        resultats=(
            "Huit emplois ont été créés dans la filière, dont cinq en insertion. 12 tonnes de laine locale "
            "sont désormais lavées et valorisées chaque année sur le plateau au lieu de partir à l'étranger."
        ),
        problematiques=(
            "Le Pays de Saugues perd des habitants et des emplois : la population a baissé de 8 % en vingt "
            "ans. Les revenus agricoles sont faibles et beaucoup d'actifs vivent de la pluriactivité, en "
            "cumulant des emplois saisonniers. Les jeunes partent faute de formation et d'emplois qualifiés "
            "sur place."
        ),
        objectifs_emploi=(
            "Sécuriser les parcours des salariés en insertion en leur ouvrant des débouchés chez les "
            "artisans et les éleveurs de la filière. Consolider les situations de pluriactivité grâce à un "
            "groupement d'employeurs qui partage des salariés entre l'élevage, l'atelier et le tourisme."
        ),
        experiences=(
            "Le chantier d'insertion a accueilli 26 personnes en trois ans ; 11 ont trouvé un emploi ou une "
            "formation qualifiante à la sortie.",
            "Deux tondeurs et une couturière partagent leur temps entre plusieurs exploitations et "
            "l'atelier, une première forme d'emploi partagé que nous voulons consolider.",
        ),
        projets=(
            "Créer en 2015 un groupement d'employeurs agricole et artisanal pour quatre à six emplois à "
            "temps partagé. Lancer avec le lycée agricole un module de qualification aux métiers de la "
            "laine."
        ),
        attente="Apprendre d'autres PTCE qui ont monté un groupement d'employeurs en milieu rural.",
        apport=(
            "Notre connaissance de la pluriactivité en zone de montagne et de la relance d'une filière "
            "artisanale presque disparue."
        ),
        visite=(
            "Les Ateliers de la Bruyère et la chaîne de transformation de la laine, du lavage au produit "
            "fini. Échanges avec les éleveurs et les salariés pluriactifs."
        ),
    ),
    PoleStory(
        pole_id="phares",
        annee_debut=2010,
        membres=16,
        salaries=5,
        benevoles=12,
        statut="SCIC SA",
        statut_article="une SCIC SA",
        statut_juridique="SCIC",
        part_collectivites=None,
        echeance="Au second semestre 2016",
        echeance_detail="une fois les travaux du lieu terminés",
        histoire=(
            "Il prolonge le lieu mutualisé d'économie sociale et solidaire ouvert en 2001 sur "
            "L'Île-Saint-Denis, où associations et entreprises partagent locaux, équipements et services."
        ),
        objectifs=(
            "Porter un projet de développement local solidaire et durable à partir d'un lieu partagé : les "
            "membres y mettent en commun des locaux, des services et des savoir-faire.",
            "La coopération vise aussi à faire naître de nouvelles activités utiles au territoire et à "
            "accompagner les porteurs de projet du quartier.",
        ),
        composition="associations, entreprises de l'ESS et entrepreneurs indépendants",
        origine=(
            "L'initiative vient des associations fondatrices du lieu, rejointes par des entreprises "
            "d'insertion et des coopératives ; la ville et l'établissement public territorial sont associés "
            "aux projets."
        ),
        secteurs=(
            "recyclage et réemploi, restauration, culture, services aux entreprises et accompagnement à la "
            "création d'activité"
        ),
        ancrage=(
            "Le pôle rayonne sur L'Île-Saint-Denis et les villes voisines de Seine-Saint-Denis, où le "
            "chômage touche près d'un actif sur cinq."
        ),
        gouvernance=(
            "La SCIC est organisée en quatre collèges : salariés, structures du lieu, collectivités et "
            "partenaires, entrepreneurs hébergés. Les collectivités détiennent des parts sociales et "
            "siègent au conseil d'administration."
        ),
        partenaires=(
            "Partenaires : Plaine Commune, la chambre régionale de l'ESS et des fondations d'entreprise."
        ),
        financeurs="",
        financement=(
            "Les recettes viennent des loyers et des services partagés, complétées par des subventions de "
            "la ville, du département et de la région."
        ),
        resultats=(
            "Le lieu héberge 60 emplois, dont un quart occupés par des habitants de la ville. 15 nouvelles "
            "activités ont été accompagnées depuis l'ouverture du lieu, et dix fonctionnent encore."
        ),
        problematiques=(
            "Le taux de chômage dépasse 20 % sur notre quartier et atteint 35 % chez les jeunes. Beaucoup "
            "d'habitants ont des projets d'activité mais manquent de locaux et d'accompagnement pour les "
            "lancer. Les petites structures de l'ESS ont du mal à offrir des emplois stables."
        ),
        objectifs_emploi=(
            "Accompagner les porteurs de projet du quartier de l'idée à l'activité, avec un hébergement et "
            "des services partagés. Pérenniser les emplois des structures membres en mettant en commun les "
            "fonctions support. Étudier la création d'un groupement d'employeurs pour les postes que les "
            "petites associations ne peuvent financer seules."
        ),
        experiences=(
            "Depuis deux ans, une comptable et une chargée de communication travaillent pour six "
            "associations du lieu : cette mutualisation des compétences leur donne un emploi stable à temps "
            "plein.",
            "Notre accueil des porteurs de projet a suivi 40 personnes ; 15 ont lancé leur activité.",
        ),
        projets=(
            "Constituer d'ici un an un groupement d'employeurs avec les membres du lieu et des entreprises "
            "voisines. Ouvrir un incubateur de projets d'économie circulaire pour dix porteurs de projet par "
            "an."
        ),
        attente=(
            "Partager avec d'autres pôles les conditions de réussite d'un groupement d'employeurs et les "
            "moyens de pérenniser les emplois dans de petites structures."
        ),
        apport=(
            "L'expérience d'un lieu partagé qui fonctionne depuis quinze ans et de la gestion d'une SCIC "
            "multi-collèges."
        ),
        visite=(
            "Le lieu partagé et ses ateliers de réemploi. Rencontre avec les salariés à temps partagé et les "
            "entrepreneurs hébergés."
        ),
    ),
    PoleStory(
        pole_id="tarnais",
        annee_debut=2012,
        membres=28,
        salaries=4,
        benevoles=10,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=30,
        echeance="Au second semestre 2016",
        echeance_detail="de préférence en octobre",
        histoire=(
            "Il a été initié par les Ateliers de Castres, qui hébergeaient déjà plusieurs entreprises "
            "solidaires et la CAE REGATE. Les coopérations informelles entre ces structures ont été "
            "formalisées en un pôle."
        ),
        objectifs=(
            "Héberger et animer les coopérations entre entreprises et initiatives solidaires du bassin "
            "castrais.",
            "Mettre en commun des moyens (locaux, comptabilité, communication) et sécuriser les parcours "
            "des entrepreneurs du territoire, en particulier ceux qui testent leur activité au sein de la "
            "CAE.",
        ),
        composition=(
            "entreprises solidaires, associations d'insertion, entrepreneurs de la CAE, une banque "
            "coopérative et des communautés de communes"
        ),
        origine=(
            "Les Ateliers de Castres et la CAE REGATE sont à l'origine de l'initiative ; les réseaux de "
            "l'ESS relaient les actions du pôle auprès de leurs adhérents."
        ),
        secteurs=(
            "services aux entreprises, artisanat, bâtiment, commerce équitable et accompagnement à "
            "l'entrepreneuriat"
        ),
        ancrage="Le pôle rayonne sur le bassin de Castres-Mazamet, dans le sud du Tarn.",
        gouvernance=(
            "Une assemblée des membres se tient deux fois par an et élit un comité de pilotage de neuf "
            "personnes."
        ),
        partenaires="Partenaires : Pôle emploi, la chambre de métiers et la boutique de gestion.",
        financeurs="la communauté d'agglomération et la région",
        financement="",
        resultats=(
            "Depuis l'ouverture du pôle, 85 entrepreneurs ont testé leur activité dans la CAE ; 52 en vivent "
            "aujourd'hui, comme entrepreneurs salariés ou à la tête de leur entreprise. Les services "
            "partagés font économiser en moyenne 3 000 euros par an à chaque structure."
        ),
        problematiques=(
            "Le bassin de Castres-Mazamet a perdu une grande partie de ses emplois textiles et le chômage y "
            "atteint 13 %. Beaucoup de demandeurs d'emploi lancent leur propre activité faute d'offres, "
            "souvent sans accompagnement, ce qui multiplie les emplois précaires. Un créateur sur deux "
            "arrête au bout de trois ans."
        ),
        objectifs_emploi=(
            "Sécuriser les parcours des créateurs grâce au statut d'entrepreneur salarié de la CAE. Offrir "
            "des emplois partagés entre plusieurs structures membres pour les fonctions administratives. "
            "Favoriser le passage des salariés en insertion vers l'entrepreneuriat lorsque c'est leur "
            "projet."
        ),
        experiences=(
            "La CAE REGATE accompagne chaque année une soixantaine d'entrepreneurs salariés ; 70 % d'entre "
            "eux sont encore en activité au bout de trois ans.",
            "Une assistante administrative travaille à temps partagé pour quatre entreprises du pôle, avec "
            "un contrat unique à temps plein.",
        ),
        projets=(
            "Créer en 2015 un groupement d'employeurs pour les fonctions support des membres, avec trois "
            "premiers postes. Ouvrir une couveuse pour les porteurs de projet qui sortent d'un parcours "
            "d'insertion."
        ),
        attente=(
            "Confronter notre façon d'accompagner les entrepreneurs à d'autres approches de la création "
            "d'activités."
        ),
        apport=(
            "Dix ans de pratique de la CAE et de l'accompagnement d'entrepreneurs salariés, et nos outils de "
            "suivi des parcours."
        ),
        visite=(
            "La CAE REGATE et les services partagés des Ateliers de Castres. Rencontre avec des "
            "entrepreneurs salariés et des salariés à temps partagé."
        ),
    ),
    PoleStory(
        pole_id="bourian",
        annee_debut=2013,
        membres=19,
        salaries=9,
        benevoles=25,
        statut="SCIC",
        statut_article="une SCIC",
        statut_juridique="SCIC",
        part_collectivites=None,
        echeance="À l'automne 2015",
        echeance_detail="après la saison des coupes",
        histoire=(
            "Il s'appuie sur la SCIC Initiatives Environnement, qui animait déjà une plateforme bois-énergie "
            "locale. La coopération s'étend aujourd'hui à l'agriculture et à l'éco-construction."
        ),
        objectifs=(
            "Développer des emplois de qualité à partir de la structuration de la filière bois locale, dans "
            "une logique de circuits courts.",
            "Partant de la forêt du territoire, nous voulons prolonger la démarche vers l'agriculture et "
            "l'éco-construction, en reliant producteurs, transformateurs et artisans du bâtiment.",
        ),
        composition=(
            "propriétaires forestiers, scieries, artisans du bâtiment, agriculteurs, une entreprise "
            "d'insertion et la communauté de communes"
        ),
        origine=(
            "La SCIC Initiatives Environnement a lancé l'initiative avec une entreprise d'insertion "
            "forestière ; les acteurs de l'ESS y apportent leur savoir-faire d'accompagnement et leurs liens "
            "avec les réseaux de l'économie solidaire."
        ),
        secteurs="forêt et bois-énergie, scierie et bois d'œuvre, éco-construction, agriculture",
        ancrage="Le pôle est implanté en Bouriane, au nord-ouest du Lot, un territoire rural très boisé.",
        gouvernance=(
            "La SCIC répartit ses sociétaires en cinq collèges, dont un collège des salariés et un collège "
            "des collectivités."
        ),
        partenaires=(
            "Partenaires : l'Office national des forêts, la chambre d'agriculture et le parc naturel."
        ),
        financeurs="",
        financement=(
            "Les financements proviennent des ventes de bois et de services, de l'appel à projets PTCE de "
            "l'État et de subventions de la région et du département du Lot."
        ),
        resultats=(
            "La plateforme a permis de créer 11 emplois, dont six en CDI à temps plein. 4 000 tonnes de "
            "bois local sont valorisées chaque année en circuit court, et les salaires versés dépassent les "
            "minima de la branche."
        ),
        problematiques=(
            "Le Lot a une population âgée et 30 % des emplois du bois y sont saisonniers ou à temps "
            "partiel. La forêt est abondante mais exploitée par des entreprises extérieures, sans valeur "
            "ajoutée locale. Le temps partiel subi touche une grande partie des femmes salariées du "
            "territoire."
        ),
        objectifs_emploi=(
            "Pérenniser les emplois de la filière en garantissant des contrats stables et des conditions de "
            "travail sûres aux bûcherons et aux ouvriers de scierie. Construire avec le GEIQ BTP du Lot des "
            "parcours qualifiants vers les métiers de l'éco-construction."
        ),
        experiences=(
            "La plateforme bois-énergie a embauché huit personnes, dont quatre issues d'un chantier "
            "d'insertion.",
            "Un partenariat avec un organisme de formation forestier a permis de qualifier 10 salariés en "
            "deux ans, avec 90 % de réussite aux certifications.",
        ),
        projets=(
            "Lancer en 2015 une filière de bois d'œuvre local pour l'éco-construction, avec trois artisans "
            "partenaires. Proposer aux agriculteurs membres des salariés en hiver pour lisser les saisons."
        ),
        attente=(
            "Savoir comment d'autres PTCE améliorent la qualité de l'emploi dans des filières où le travail "
            "est dur et saisonnier."
        ),
        apport=(
            "Notre expérience de la structuration d'une filière en circuit court, des contrats "
            "d'approvisionnement aux emplois créés."
        ),
        visite=(
            "La plateforme bois-énergie et une scierie partenaire. Rencontre avec les salariés et les "
            "propriétaires forestiers engagés dans la démarche."
        ),
    ),
    PoleStory(
        pole_id="figeacteurs",
        annee_debut=2011,
        membres=31,
        salaries=2,
        benevoles=18,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=35,
        echeance="Début 2017",
        echeance_detail="après l'ouverture de la conciergerie au public",
        histoire=(
            "Il fait coopérer une coopérative agricole, des acteurs de l'insertion et du travail adapté et "
            "des entreprises du Figeacois autour d'une stratégie commune."
        ),
        objectifs=(
            "Porter une stratégie de développement territorial solidaire et durable en faisant coopérer "
            "l'agriculture, l'insertion, le travail adapté et l'industrie.",
            "Ensemble, nous voulons créer des activités qu'aucun membre n'aurait lancées seul : conciergerie "
            "solidaire, services énergétiques, restauration collective en circuit court.",
        ),
        composition=(
            "coopérative agricole, entreprises industrielles, structures d'insertion, établissement et "
            "service d'aide par le travail, associations et collectivités"
        ),
        origine=(
            "L'association REGAIN est à l'origine du pôle et en assure l'animation ; les acteurs de l'ESS "
            "portent les nouvelles activités et l'accompagnement des personnes."
        ),
        secteurs="agriculture, services aux entreprises et aux habitants, énergie, restauration collective",
        ancrage="Le pôle couvre le Grand Figeac, à l'est du Lot, bassin à la fois industriel et agricole.",
        gouvernance=(
            "Le bureau compte un représentant de chaque famille d'acteurs ; les décisions se prennent au "
            "consensus en assemblée."
        ),
        partenaires="Partenaires : Cap emploi, la mission locale et la chambre de commerce.",
        financeurs="la communauté de communes du Grand Figeac, le département et la région",
        financement="",
        resultats=(
            "La conciergerie solidaire emploie six personnes en insertion et sert déjà 400 salariés des "
            "entreprises membres. 23 personnes ont changé de structure au sein du pôle pour poursuivre leur "
            "parcours professionnel."
        ),
        problematiques=(
            "Le territoire compte de nombreux emplois industriels, mais les personnes en insertion ou en "
            "situation de handicap y accèdent rarement. Le chômage est modéré (8 %) et pourtant les jeunes "
            "sans diplôme et les travailleurs handicapés restent à l'écart. Les entreprises manquent de "
            "services pour leurs salariés, ce qui pèse sur les conditions de travail et les recrutements."
        ),
        objectifs_emploi=(
            "Organiser des passerelles entre insertion, travail adapté et entreprises classiques pour "
            "sécuriser les parcours professionnels. Créer de nouvelles activités porteuses d'emplois "
            "locaux. Améliorer la qualité de vie au travail des salariés des membres par des services "
            "partagés."
        ),
        experiences=(
            "La conciergerie solidaire offre aux salariés des entreprises membres des services du quotidien "
            "rendus par des personnes en insertion.",
            "Une démarche de GPEC menée avec cinq entreprises a repéré 30 postes accessibles à des salariés "
            "en fin de parcours d'insertion ; 9 y ont été recrutés.",
        ),
        projets=(
            "Ouvrir un service de rénovation énergétique employant quatre personnes en insertion. Mettre en "
            "place un groupement d'employeurs entre la coopérative agricole et deux entreprises pour des "
            "emplois saisonniers complémentaires."
        ),
        attente=(
            "Découvrir comment d'autres pôles organisent les passerelles entre structures d'insertion et "
            "entreprises."
        ),
        apport=(
            "Notre pratique de la coopération entre agriculture, travail adapté et industrie, et l'exemple "
            "de la conciergerie solidaire."
        ),
        visite=(
            "La conciergerie solidaire et la coopérative agricole. Témoignages de salariés passés d'une "
            "structure membre à une autre."
        ),
    ),
    PoleStory(
        pole_id="bousol",
        annee_debut=2013,
        membres=12,
        salaries=45,
        benevoles=30,
        statut="SCIC SAS",
        statut_article="une SCIC SAS",
        statut_juridique="SCIC",
        part_collectivites=25,
        echeance="À l'été 2016",
        echeance_detail="au moment des moissons",
        histoire=(
            "L'association Pain et Partage a ouvert une première boulangerie d'insertion à Marseille, puis a "
            "rassemblé paysans, meunier et boulangers pour bâtir une filière biologique locale."
        ),
        objectifs=(
            "Structurer des filières blé-farine-pain biologiques et locales, du champ à la restauration "
            "collective.",
            "La coopération relie producteurs, meunier, boulangeries d'insertion et acheteurs publics pour "
            "créer des emplois pérennes et d'insertion tout au long de la chaîne de valeur.",
        ),
        composition=(
            "paysans, un moulin, boulangeries d'insertion, acheteurs de la restauration collective et "
            "associations"
        ),
        origine=(
            "L'association Pain et Partage est à l'origine du pôle ; les structures de l'insertion par "
            "l'activité économique et les réseaux de l'agriculture biologique y jouent un rôle central."
        ),
        secteurs="agriculture biologique, meunerie, boulangerie et restauration collective",
        ancrage=(
            "Le pôle est ancré à Marseille et dans les campagnes des Bouches-du-Rhône qui fournissent le blé."
        ),
        gouvernance=(
            "La SCIC rassemble producteurs, salariés, clients et partenaires dans des collèges distincts ; "
            "le conseil de gestion se tient chaque mois."
        ),
        partenaires="Partenaires : la cuisine centrale, un lycée hôtelier et le réseau des boulangers bio.",
        financeurs="la ville de Marseille, le département et la région",
        financement="",
        resultats=(
            "Trois boulangeries d'insertion emploient aujourd'hui 38 personnes en parcours, et 120 tonnes de "
            "blé local sont transformées chaque année. 60 % des salariés en insertion sortent vers un emploi "
            "ou une formation qualifiante."
        ),
        problematiques=(
            "Le chômage dépasse 30 % dans certains quartiers de Marseille et touche d'abord les jeunes sans "
            "diplôme. La filière céréalière locale a presque disparu : le pain vendu ici est fait avec des "
            "farines venues d'ailleurs. Les boulangeries recrutent, mais les salariés en insertion n'ont pas "
            "de qualification reconnue."
        ),
        objectifs_emploi=(
            "Mettre en œuvre des parcours formatifs dans les boulangeries du pôle, de l'accueil à la "
            "certification. Faire reconnaître les compétences acquises par la validation des acquis de "
            "l'expérience. Pérenniser les emplois créés à chaque maillon de la filière."
        ),
        experiences=(
            "Depuis 2013, 64 salariés en insertion ont suivi un parcours formatif en boulangerie ; 22 ont "
            "obtenu un CAP ou un titre professionnel.",
            "Un paysan s'est installé en blé biologique grâce aux contrats d'achat sur plusieurs années "
            "signés avec la filière.",
        ),
        projets=(
            "Ouvrir en 2015 un organisme de formation interne aux métiers de la boulangerie, pour 20 "
            "stagiaires par an. Engager les premières démarches de VAE pour dix salariés expérimentés."
        ),
        attente=(
            "Échanger sur la reconnaissance des compétences et les certifications accessibles aux personnes "
            "en insertion."
        ),
        apport=(
            "Notre expérience de la structuration d'une filière alimentaire complète et des parcours "
            "formatifs en boulangerie."
        ),
        visite=(
            "Une boulangerie d'insertion et le moulin partenaire. Rencontre avec des paysans et des salariés "
            "en parcours formatif."
        ),
    ),
    PoleStory(
        pole_id="eco_materiaux",
        annee_debut=2012,
        membres=35,
        salaries=2,
        benevoles=8,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=70,
        echeance="Au printemps 2017",
        echeance_detail="pendant la saison des chantiers",
        histoire=(
            "Il est animé par le Comité d'Expansion des Hautes-Alpes, qui a fédéré producteurs de matériaux, "
            "artisans et formateurs autour d'un projet de filière."
        ),
        objectifs=(
            "Structurer des filières locales d'éco-matériaux (bois, paille, chanvre, pierre), de la "
            "production à la mise en œuvre sur les chantiers.",
            "Renforcer les compétences des artisans et des salariés du bâtiment sur ces matériaux, et "
            "développer la commande publique en éco-construction.",
        ),
        composition=(
            "producteurs, artisans du bâtiment, architectes, organismes de formation, structures "
            "d'insertion et collectivités"
        ),
        origine=(
            "Le Comité d'Expansion des Hautes-Alpes est à l'origine du pôle ; les structures de l'ESS, en "
            "particulier deux chantiers d'insertion, ouvrent les formations aux publics éloignés de l'emploi."
        ),
        secteurs="bâtiment et éco-construction, production de matériaux biosourcés, formation",
        ancrage=(
            "Le pôle couvre l'ensemble des Hautes-Alpes, territoire de montagne où la construction est un "
            "employeur majeur."
        ),
        gouvernance=(
            "Un comité de pilotage associe producteurs, artisans, formateurs et élus ; le Comité d'Expansion "
            "en assure le secrétariat."
        ),
        partenaires=(
            "Partenaires : la fédération du bâtiment, la chambre de métiers et l'agence de l'énergie."
        ),
        financeurs="le département des Hautes-Alpes, la région et les communautés de communes",
        financement="",
        resultats=(
            "120 artisans et salariés ont été formés à la mise en œuvre des éco-matériaux. Les premiers "
            "chantiers publics en paille et en bois local ont mobilisé 25 entreprises du département."
        ),
        problematiques=(
            "Le bâtiment fournit un emploi sur dix dans les Hautes-Alpes mais souffre de la saisonnalité et "
            "d'une forte précarité de l'emploi. Les entreprises manquent de salariés qualifiés en "
            "éco-construction alors que la demande progresse de 15 % par an. Les jeunes partent ailleurs "
            "pour se former."
        ),
        objectifs_emploi=(
            "Développer des formations qualifiantes aux métiers de l'éco-construction, en alternance avec "
            "des chantiers réels. Stabiliser les emplois du bâtiment en réduisant la saisonnalité grâce à la "
            "commande publique. Appuyer une GPECT de la filière avec les organisations professionnelles."
        ),
        experiences=(
            "Un module de construction en paille, créé avec un organisme de formation membre, a accueilli 48 "
            "stagiaires ; 80 % travaillent aujourd'hui dans le bâtiment.",
            "Le GEIQ BTP des Hautes-Alpes a recruté ses premiers alternants sur des chantiers en "
            "éco-matériaux.",
        ),
        projets=(
            "Créer un centre de ressources des éco-matériaux ouvert aux artisans. Engager avec la CAE du "
            "département l'accompagnement de cinq porteurs de projet dans la production de matériaux."
        ),
        attente="Comparer nos démarches de filière et de formation avec celles d'autres PTCE du bâtiment.",
        apport=(
            "Nos modules de formation aux éco-matériaux et notre connaissance des filières de "
            "l'éco-construction en montagne."
        ),
        visite=(
            "Un chantier école en paille et une unité de production de panneaux en bois local. Les "
            "stagiaires et leurs formateurs présenteront leur travail."
        ),
    ),
    PoleStory(
        pole_id="re_sources",
        operationnel=False,
        annee_debut=2013,
        membres=11,
        salaries=1,
        benevoles=12,
        statut="",
        statut_article="",
        statut_juridique="sans statut juridique",
        part_collectivites=80,
        echeance="Courant 2017",
        echeance_detail="quand la plateforme sera en service",
        situation=(
            "Le PTCE est en projet : la démarche a été lancée en 2013 par des acteurs de l'insertion, de la "
            "formation et de la mobilité du Nord des Alpilles. Nous menons l'étude de faisabilité de la "
            "plateforme de gestion des déchets."
        ),
        statut_phrase=(
            "Statut : pas encore de structure juridique propre, le projet est porté par RE-Sources et le "
            "GDID."
        ),
        effectifs="Une salariée à mi-temps et {benevoles} bénévoles font avancer le projet.",
        histoire="",
        objectifs=(
            "Créer une plateforme territorialisée de gestion des déchets : collecte, tri, réemploi et "
            "recyclage des déchets des ménages et des entreprises.",
            "Faire de cette plateforme un support de qualification et d'emploi pour les personnes "
            "accompagnées par les structures membres, et un lieu de coopération pour l'économie circulaire.",
        ),
        composition=(
            "structures d'insertion, un organisme de formation, une plateforme de mobilité, des entreprises "
            "du déchet et des communes"
        ),
        origine=(
            "RE-Sources et le GDID, acteurs de l'insertion et de la mobilité, sont à l'origine du projet ; "
            "les autres structures de l'ESS apportent leur expérience de l'accompagnement."
        ),
        secteurs="gestion et valorisation des déchets, réemploi, mobilité, formation",
        ancrage="Le projet concerne le Nord des Alpilles, de Saint-Rémy-de-Provence à Châteaurenard.",
        gouvernance=(
            "Un comité de préfiguration rassemble les fondateurs chaque mois ; les communes concernées y "
            "participent."
        ),
        partenaires="Partenaires : l'ADEME, Pôle emploi et le syndicat de collecte des déchets.",
        financeurs="l'intercommunalité, le département et la région",
        financement="",
        resultats=(
            "Attendus : 25 emplois d'ici trois ans, dont 15 en insertion, et 3 000 tonnes de déchets "
            "détournées de l'enfouissement chaque année. L'étude de faisabilité sera achevée fin 2015."
        ),
        problematiques=(
            "Le Nord des Alpilles combine un chômage de 12 % et de fortes difficultés de mobilité : 40 % des "
            "demandeurs d'emploi n'ont pas de véhicule. Les emplois agricoles peu qualifiés sont des emplois "
            "précaires et saisonniers. Les déchets du territoire partent vers des centres de traitement "
            "éloignés, sans retombées locales."
        ),
        objectifs_emploi=(
            "Construire des parcours d'insertion qui mènent du tri des déchets aux métiers qualifiés du "
            "recyclage. Lever le frein de la mobilité grâce à la plateforme de mobilité membre du pôle. "
            "Créer un GEIQ avec les entreprises du déchet si le volume d'emplois le permet."
        ),
        experiences=(
            "La plateforme de mobilité a accompagné 210 personnes en 2014 (location de scooters, auto-école "
            "sociale) ; 65 % ont connu un retour à l'emploi ou une entrée en formation.",
            "Un chantier d'insertion de tri des encombrants a été ouvert à titre d'essai avec 8 salariés.",
        ),
        projets=(
            "Finaliser en 2015 l'étude de faisabilité et le montage juridique de la plateforme. Ouvrir avec "
            "l'organisme de formation membre une formation qualifiante d'agent de tri pour 12 personnes."
        ),
        attente=(
            "Apprendre des pôles plus avancés comment passer du projet à l'activité sans perdre la "
            "dimension d'insertion."
        ),
        apport="Notre expérience de la mobilité comme levier de retour à l'emploi.",
        visite=(
            "La plateforme de mobilité et l'auto-école sociale. Présentation du projet de plateforme de "
            "gestion des déchets."
        ),
    ),
    PoleStory(
        pole_id="dombinnov",
        annee_debut=2012,
        membres=23,
        salaries=340,
        benevoles=20,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=None,
        echeance="Au premier trimestre 2016",
        echeance_detail="hors période estivale",
        effectifs=(
            "Les entreprises du pôle emploient {salaries} salariés ; {benevoles} bénévoles animent les "
            "commissions."
        ),
        histoire=(
            "Il est né à l'initiative du Groupe Val Horizon, dans le sud de l'Ain, pour mettre en commun des "
            "services et accompagner de nouvelles entreprises sociales."
        ),
        objectifs=(
            "Développer des emplois et des services locaux en faisant coopérer entreprises, réseaux et "
            "collectifs de la Dombes.",
            "Le pôle accompagne des entreprises sociales en incubation, partage des services (recrutement, "
            "communication, achats) et fait connaître l'économie sociale et solidaire aux acteurs "
            "économiques.",
        ),
        composition="seize entreprises, dont des entreprises d'insertion, et sept réseaux et collectifs",
        origine=(
            "Le Groupe Val Horizon, ensemblier d'insertion, est à l'origine de l'initiative ; les réseaux de "
            "l'ESS relaient les actions de promotion et orientent les porteurs de projet vers l'incubateur."
        ),
        secteurs="services aux entreprises et aux personnes, environnement, restauration, insertion",
        ancrage=(
            "Le pôle agit dans la Dombes et le sud de l'Ain, territoire périurbain entre Lyon et "
            "Bourg-en-Bresse."
        ),
        gouvernance=(
            "Un conseil d'administration élu par l'assemblée générale décide des orientations ; des "
            "commissions thématiques ouvertes à tous préparent les projets."
        ),
        partenaires="Partenaires : la chambre de commerce, la mission locale et un club d'entreprises.",
        financeurs="",
        financement=(
            "Le budget repose sur les cotisations, la vente de services partagés et des subventions de la "
            "région et de la communauté de communes."
        ),
        resultats=(
            "Sept entreprises sociales ont été incubées depuis le démarrage et ont créé 32 emplois. Le "
            "service de recrutement partagé accompagne 14 structures."
        ),
        problematiques=(
            "La Dombes connaît un chômage plus faible que la moyenne (7 %), mais les personnes peu "
            "qualifiées y trouvent peu d'emplois et la mobilité est difficile. Les petites entreprises n'ont "
            "pas de service du personnel et peinent à recruter et à fidéliser leurs salariés. L'offre de "
            "services de proximité reste insuffisante."
        ),
        objectifs_emploi=(
            "Offrir aux petites entreprises du territoire une mutualisation RH : recrutement, formation, "
            "emplois partagés. Accompagner la création d'activités porteuses d'emplois locaux grâce à "
            "l'incubateur. Améliorer la qualité des emplois dans les structures membres."
        ),
        experiences=(
            "L'incubateur a accompagné 12 porteurs de projet depuis son ouverture ; sept entreprises "
            "sociales sont en activité.",
            "Un groupement d'employeurs créé avec quatre entreprises emploie deux salariés à temps partagé, "
            "en maintenance et en secrétariat.",
        ),
        projets=(
            "Étendre le groupement d'employeurs à dix entreprises en 2015. Ouvrir avec une CAE voisine une "
            "antenne pour les entrepreneurs salariés de la Dombes."
        ),
        attente=(
            "Progresser sur la mutualisation des emplois entre entreprises classiques et structures de l'ESS."
        ),
        apport=(
            "Notre méthode d'incubation d'entreprises sociales et le fonctionnement d'un service de "
            "recrutement partagé."
        ),
        visite=(
            "L'incubateur d'entreprises sociales et le service de recrutement partagé. Rencontre avec des "
            "entrepreneurs accompagnés."
        ),
    ),
    PoleStory(
        pole_id="esci",
        annee_debut=2010,
        membres=14,
        salaries=6,
        benevoles=5,
        statut="GIE (groupement d'intérêt économique)",
        statut_article="un GIE (groupement d'intérêt économique)",
        statut_juridique="GIE",
        part_collectivites=20,
        echeance="Fin 2016",
        echeance_detail="après notre assemblée générale",
        histoire=(
            "Il est issu d'un groupement d'entreprises de l'insertion par l'activité économique du Centre "
            "Isère, qui a voulu aller au-delà de l'insertion pour faire naître de nouvelles activités."
        ),
        objectifs=(
            "Faire émerger et consolider des activités et des emplois sur le Centre Isère.",
            "Les membres coopèrent sur l'émergence d'activités, la mutualisation des compétences et la "
            "promotion des démarches de responsabilité sociale auprès des entreprises du territoire.",
        ),
        composition=(
            "entreprises d'insertion, associations intermédiaires, ateliers et chantiers d'insertion, "
            "rejoints par des PME"
        ),
        origine=(
            "Les structures de l'IAE du Centre Isère sont à l'origine du pôle ; les réseaux de l'insertion "
            "et de l'ESS les aident à trouver des partenaires économiques."
        ),
        secteurs="environnement, bâtiment, services aux personnes et aux entreprises, logistique",
        ancrage="Le pôle couvre le Pays voironnais et le Grésivaudan, au centre de l'Isère.",
        gouvernance=(
            "L'assemblée du groupement rassemble chaque trimestre les dirigeants des structures ; un comité "
            "d'orientation associe élus et partenaires économiques."
        ),
        partenaires=(
            "Partenaires : Pôle emploi, le plan local pour l'insertion et l'emploi et un club d'entreprises."
        ),
        financeurs="le département de l'Isère, la communauté d'agglomération et la région",
        financement="",
        resultats=(
            "Cinq nouvelles activités ont été lancées par les membres, avec 38 emplois à la clé, dont 20 "
            "pour des personnes en insertion. Une fonction qualité-sécurité partagée a réduit de moitié les "
            "accidents du travail."
        ),
        problematiques=(
            "Le Centre Isère compte 25 000 demandeurs d'emploi, dont un tiers de longue durée. Les "
            "structures d'insertion peinent à trouver des débouchés pour leurs salariés en fin de parcours. "
            "Les PME de l'industrie et du bâtiment recrutent mais attendent des savoir-faire précis."
        ),
        objectifs_emploi=(
            "Créer des passerelles entre les structures d'insertion et les PME pour favoriser le retour à "
            "l'emploi durable. Faire émerger de nouvelles activités qui offrent des emplois aux personnes en "
            "fin de parcours. Améliorer les conditions de travail dans nos structures grâce à la démarche "
            "de responsabilité sociale."
        ),
        experiences=(
            "Le GEIQ créé avec quatre PME du bâtiment a recruté 18 personnes en contrat de "
            "professionnalisation ; 14 ont été embauchées à la fin du contrat.",
            "La mutualisation des compétences permet à trois structures de partager un encadrant technique "
            "et une chargée de recrutement.",
        ),
        projets=(
            "Lancer en 2015 une activité de réemploi de matériaux du bâtiment avec six emplois en insertion. "
            "Accompagner avec une CAE partenaire les salariés en insertion qui souhaitent créer leur "
            "activité."
        ),
        attente=(
            "Mieux outiller la création d'activités par les structures d'insertion et partager nos pratiques "
            "de responsabilité sociale."
        ),
        apport=(
            "L'expérience de structures de l'IAE qui lancent ensemble des activités, et notre démarche "
            "qualité-sécurité partagée."
        ),
        visite=(
            "L'activité de réemploi et le GEIQ du bâtiment. Rencontre avec les encadrants techniques "
            "partagés."
        ),
    ),
    PoleStory(
        pole_id="alpen",
        annee_debut=2013,
        membres=21,
        salaries=3,
        benevoles=6,
        statut="association loi 1901",
        statut_article="une association loi 1901",
        statut_juridique="association",
        part_collectivites=40,
        echeance="En 2017",
        echeance_detail="lors d'un chantier de rénovation énergétique",
        histoire=(
            "Il a été initié par le Groupe ULISSE, ensemblier d'insertion grenoblois, avec des artisans du "
            "bâtiment et des acteurs de l'énergie."
        ),
        objectifs=(
            "Développer à l'échelle de l'agglomération grenobloise une filière de maîtrise de l'énergie dans "
            "les logements, porteuse d'emplois et de développement durable.",
            "La coopération relie artisans, bailleurs sociaux et structures d'insertion, accompagne "
            "l'évolution des compétences et des métiers et déploie de nouvelles activités de rénovation.",
        ),
        composition=(
            "artisans et PME du bâtiment, structures d'insertion, bailleurs sociaux, un organisme de "
            "formation et des associations de l'énergie"
        ),
        origine=(
            "Le Groupe ULISSE est à l'origine du pôle ; les structures de l'ESS accompagnent les ménages en "
            "précarité énergétique et les salariés en insertion."
        ),
        secteurs="rénovation énergétique, bâtiment, conseil aux ménages, insertion",
        ancrage="Le pôle agit sur l'agglomération grenobloise et ses quartiers prioritaires.",
        gouvernance=(
            "Un comité de coopération rassemble chaque mois les fondateurs ; les décisions importantes sont "
            "prises en assemblée."
        ),
        partenaires=(
            "Partenaires : l'agence locale de l'énergie, la fédération du bâtiment et des bailleurs sociaux."
        ),
        financeurs="la métropole, le département de l'Isère et la région",
        financement="",
        resultats=(
            "260 logements ont été rénovés par des équipes mixtes d'artisans et de salariés en insertion. 18 "
            "emplois ont été créés, dont 10 occupés par des personnes issues d'un parcours d'insertion."
        ),
        problematiques=(
            "Un ménage sur six de l'agglomération vit en précarité énergétique. Les artisans manquent de "
            "compétences en rénovation performante et de salariés qualifiés. Les personnes en insertion "
            "accèdent difficilement aux métiers du bâtiment, faute de qualification."
        ),
        objectifs_emploi=(
            "Construire une GPECT de la filière rénovation pour anticiper les métiers de demain. Ouvrir aux "
            "salariés en insertion des parcours qualifiants vers ces métiers, avec un organisme de formation "
            "membre. Développer de nouvelles activités de services énergétiques."
        ),
        experiences=(
            "Une équipe mixte d'artisans et de salariés en insertion a rénové 40 logements sociaux en 2014, "
            "avec 7 sorties vers un emploi durable.",
            "Un référentiel de compétences en rénovation énergétique a été écrit avec deux organismes de "
            "formation.",
        ),
        projets=(
            "Lancer en 2015 une plateforme de rénovation qui orientera les ménages vers les artisans du "
            "pôle. Créer un emploi partagé de coordinateur de chantiers entre trois entreprises."
        ),
        attente=(
            "Comprendre comment d'autres pôles articulent transition énergétique et qualité de l'emploi dans "
            "le bâtiment."
        ),
        apport="Notre démarche de GPECT de filière et nos outils de formation à la rénovation énergétique.",
        visite=(
            "Un chantier de rénovation mené par une équipe mixte d'artisans et de salariés en insertion. "
            "Puis une matinée au centre de formation partenaire, sur son plateau technique."
        ),
    ),
)

# Expectations and contributions many poles share: each pole adds one or two to its own.
_ATTENTES = (
    "Échanger entre pairs sur des pratiques concrètes plutôt que sur des principes.",
    "Prendre du recul sur notre action grâce au regard des autres pôles et des personnes ressources.",
    "Disposer d'outils communs pour mesurer nos effets sur l'emploi local.",
    "Faire reconnaître par les pouvoirs publics ce que les PTCE font pour l'emploi.",
    "Rompre l'isolement de l'équipe d'animation et trouver des idées pour la suite du projet.",
    "Construire avec les autres membres des propositions pour les politiques de l'emploi.",
    "Participer aux visites apprenantes pour voir fonctionner d'autres coopérations.",
)
_APPORTS = (
    (
        "Nous mettrons à disposition nos documents de travail : conventions de coopération, tableaux de "
        "suivi, bilans."
    ),
    "Notre équipe peut contribuer à la rédaction des fiches de capitalisation.",
    "Nous partagerons nos chiffres sur l'emploi, nos difficultés autant que nos réussites.",
    "Les membres du pôle, et pas seulement l'équipe d'animation, sont prêts à témoigner.",
    "Nous pouvons accueillir des membres de la communauté lors de nos comités de pilotage.",
)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _operational(story: PoleStory, rng: random.Random) -> str:
    if story.situation:
        return story.situation
    start = story.annee_debut
    first = rng.choice(
        (
            f"Oui, le PTCE est opérationnel depuis {start}.",
            f"Le pôle est opérationnel depuis {WRITTEN_IN - start} ans.",
            f"PTCE opérationnel, créé en {start}.",
            f"Opérationnel depuis {rng.choice(_MONTHS)} {start}.",
        )
    )
    return f"{first} {story.histoire}"


def _break(rng: random.Random, paragraphs: bool) -> str:
    # Some coordinators press Enter between two ideas, others write one paragraph.
    return "\n" if paragraphs else rng.choice(("\n", " "))


def _stakeholders(story: PoleStory, rng: random.Random, paragraphs: bool) -> str:
    n, who = story.membres, story.composition
    count = rng.choice(
        (
            f"{n} membres : {who}.",
            f"Le pôle réunit {n} structures : {who}.",
            f"Nous comptons {n} adhérents : {who}.",
            f"{n} parties prenantes : {who}.",
        )
    )
    return f"{count}{_break(rng, paragraphs)}{story.origine}"


def _sectors_status(story: PoleStory, rng: random.Random) -> str:
    sectors = rng.choice(
        (
            f"Secteurs : {story.secteurs}.",
            f"Nos activités : {story.secteurs}.",
            f"{_capitalised(story.secteurs)}.",
        )
    )
    status = story.statut_phrase or rng.choice(
        (
            f"Statut : {story.statut}.",
            f"Le pôle est constitué en {story.statut}.",
            f"La structure porteuse est {story.statut_article}.",
            f"Forme juridique : {story.statut}.",
        )
    )
    template = story.effectifs or rng.choice(
        (
            "Il compte {salaries} salariés et {benevoles} bénévoles.",
            "L'équipe d'animation emploie {salaries} personnes ; {benevoles} bénévoles s'impliquent dans "
            "les groupes de travail.",
            "{salaries} salariés et {benevoles} bénévoles font vivre le pôle.",
            "Effectifs : {salaries} salariés, {benevoles} bénévoles.",
        )
    )
    heads = template.format(salaries=story.salaries, benevoles=story.benevoles)
    return f"{sectors} {status} {heads} {story.ancrage}"


def _governance(story: PoleStory, rng: random.Random) -> str:
    share = story.part_collectivites
    if share is None:
        funding = story.financement
    else:
        funding = rng.choice(
            (
                f"Les collectivités territoriales apportent {share} % du budget ({story.financeurs}).",
                f"Financements : {story.financeurs} assurent {share} % des ressources, le reste vient des "
                "recettes propres et de fondations.",
                f"La part des collectivités ({story.financeurs}) atteint {share} % de nos financements.",
            )
        )
    return f"{story.gouvernance} {story.partenaires} {funding}"


def _with_shared(own: str, shared: tuple[str, ...], rng: random.Random) -> str:
    return " ".join((own, *rng.sample(shared, rng.randint(1, 2))))


def pole_story(pole_id: str) -> PoleStory:
    """The story of one of the twelve poles."""
    return next(s for s in STORIES if s.pole_id == pole_id)


def pole_answers(pole_id: str, rng: random.Random, *, paragraphs: bool = False) -> dict[str, str]:
    """Every text answer of the pole's form, all filled in; the same `rng` state gives the same text.

    The objectives, the stakeholders and the experiences can take two paragraphs (a line break):
    `paragraphs` makes them always do, otherwise `rng` decides for the first two.
    """
    story = pole_story(pole_id)
    return {
        "i1_operationnel": _operational(story, rng),
        "i2_objectifs": _break(rng, paragraphs).join(story.objectifs),
        "i3_parties_prenantes": _stakeholders(story, rng, paragraphs),
        "i4_secteurs_statut": _sectors_status(story, rng),
        "i5_gouvernance": _governance(story, rng),
        "i6_resultats": story.resultats,
        "ii1_problematiques": story.problematiques,
        "ii2_objectifs_emploi": story.objectifs_emploi,
        "ii3_experiences": "\n".join(story.experiences),
        "ii4_projets": story.projets,
        "ii5_attentes": _with_shared(story.attente, _ATTENTES, rng),
        "ii6_apports": _with_shared(story.apport, _APPORTS, rng),
        "experiences_visite": story.visite,
        "echeance_visite": f"{story.echeance}, {story.echeance_detail}.",
    }


def pole_facts(pole_id: str) -> dict[str, bool | int | float | str | None]:
    """The structured fields the pole's answers state (`applications` columns), by field name."""
    story = pole_story(pole_id)
    share = story.part_collectivites
    return {
        "operationnel": story.operationnel,
        "annee_debut": story.annee_debut,
        "nb_parties_prenantes": story.membres,
        "nb_salaries": story.salaries,
        "nb_benevoles": story.benevoles,
        "statut_juridique": story.statut_juridique,
        "part_financement_collectivites": None if share is None else share / 100,
        "periode_visite": story.echeance,
    }
